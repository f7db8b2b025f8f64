"""seed_scale at a tiny size: deterministic rows with consistent counters."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from communities.models import Community
from forums.management.commands.seed_scale import BENCH_USERNAME, SLUG_PREFIX, member_of_ten_communities
from forums.models import Post, Thread
from members.models import User

pytestmark = pytest.mark.django_db

TINY = {"members": 15, "communities": 4, "threads": 12, "posts": 150, "big_thread_replies": 30, "verbosity": 0}


@pytest.fixture
def seeded():
    call_command("seed_scale", **TINY)


def test_makes_the_requested_number_of_rows(seeded):
    assert User.objects.filter(email__endswith="@scale.example.gov.uk").count() == 15
    assert Community.objects.filter(slug__startswith=SLUG_PREFIX).count() == 4
    assert Thread.objects.count() == 12
    assert Post.objects.count() == 150


def test_one_thread_has_the_big_reply_count(seeded):
    big = Thread.objects.annotate(n=Count("posts")).order_by("-n").first()
    assert big.n == 31  # the opening post and 30 replies
    assert big.community.visibility == Community.Visibility.PUBLIC


def test_counters_agree_with_the_rows(seeded):
    published_replies = Count("posts", filter=Q(posts__status="published", posts__parent__isnull=False))
    assert not Thread.objects.annotate(n=published_replies).exclude(reply_count=F("n")).exists()
    visible_threads = Count("threads", filter=Q(threads__is_hidden=False))
    assert not Community.objects.annotate(n=visible_threads).exclude(thread_count=F("n")).exists()
    active = Count("memberships", filter=Q(memberships__status="active"))
    assert not Community.objects.annotate(n=active).exclude(member_count=F("n")).exists()


def test_tree_fields_are_consistent(seeded):
    for post in Post.objects.select_related("parent"):
        if post.parent is None:
            assert post.depth == 0 and post.sort_path == str(post.pk).zfill(10)
        else:
            assert post.depth == post.parent.depth + 1
            assert post.sort_path == f"{post.parent.sort_path}.{str(post.pk).zfill(10)}"
            assert post.thread_id == post.parent.thread_id


def test_bodies_are_searchable_and_ids_follow_time(seeded):
    assert Post.objects.filter(search_vector="social").exists() or Post.objects.filter(search_vector="team").exists()
    times = list(Post.objects.order_by("pk").values_list("created_at", flat=True))
    assert times == sorted(times)


def test_the_bench_member_belongs_to_every_community(seeded):
    member = User.objects.get(username=BENCH_USERNAME)
    assert member.memberships.filter(status="active").count() == 4


def test_same_seed_makes_the_same_data(seeded):
    first = list(Post.objects.order_by("pk").values_list("body", flat=True)[:20])
    Post.objects.all().delete()
    Thread.objects.all().delete()
    Community.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    User.objects.filter(email__endswith="@scale.example.gov.uk").delete()
    call_command("seed_scale", **TINY)
    assert list(Post.objects.order_by("pk").values_list("body", flat=True)[:20]) == first


def test_if_missing_does_nothing_when_the_data_is_there(seeded):
    call_command("seed_scale", if_missing=True, **TINY)
    assert Post.objects.count() == 150


def test_the_home_pages_bench_member_belongs_to_ten_communities_once(bob):
    call_command("seed_scale", **{**TINY, "communities": 12})
    member = member_of_ten_communities()
    assert member_of_ten_communities() == member
    assert member.memberships.filter(status="active").count() == 10
    assert member.memberships.filter(community__visibility="private").exists()


def test_more_posts_than_the_threads_can_hold_is_refused():
    with pytest.raises(CommandError, match="at most 201 posts"):
        call_command("seed_scale", **{**TINY, "threads": 10, "posts": 500, "big_thread_replies": 20})
