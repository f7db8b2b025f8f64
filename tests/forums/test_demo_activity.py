"""The demo's weeks of activity: enough of everything for `make run` to look alive."""

import re

import pytest
from django.db.models import Count

from communities.demo import seed_communities
from communities.models import Community
from forums.demo import seed_discussions
from forums.models import HelpfulMark, Post, Thread
from members.demo import seed_members
from members.models import User

pytestmark = pytest.mark.django_db
PHONE_NUMBER = re.compile(r"\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b")


@pytest.fixture
def demo():
    people = seed_members()
    communities = seed_communities(people)
    seed_discussions(people, communities)
    return people


def test_the_demo_has_communities_of_every_kind_and_an_archived_one(demo):
    live = Community.objects.exclude(status__in=["proposed", "declined"])
    assert live.count() >= 8
    assert {"public", "members_only", "private"} <= set(live.values_list("visibility", flat=True))
    archived = live.get(status="archived")
    assert archived.threads.count() >= 2


def test_the_demo_has_weeks_of_threads_and_hundreds_of_posts(demo):
    assert Thread.objects.count() >= 60
    assert Post.objects.filter(status="published").count() >= 300
    assert Post.objects.filter(depth__gte=3).exists()
    assert Thread.objects.filter(accepted_answer__isnull=False).count() >= 20
    assert HelpfulMark.objects.exists()
    days = {thread.created_at.date() for thread in Thread.objects.all()}
    assert len(days) >= 20
    # Questions still waiting for an answer, for the home page to show.
    assert Thread.objects.filter(kind="question", reply_count=0).count() >= 5


def test_the_demo_counts_match_what_is_there(demo):
    for thread in Thread.objects.annotate(replies=Count("posts")):
        assert thread.reply_count == thread.replies - 1, thread.title
    for post in Post.objects.filter(helpful_count__gt=0).annotate(marks=Count("helpful_marks"))[:50]:
        assert post.helpful_count == post.marks


def test_the_demo_has_people_from_many_organisations_and_no_phone_numbers(demo):
    approved = User.objects.filter(status="approved")
    assert approved.count() >= 25
    assert approved.values("organisation").distinct().count() >= 10
    assert approved.values("organisation__kind").distinct().count() >= 6
    for user in approved:
        assert not PHONE_NUMBER.search(user.bio), user.username


def test_seeding_the_activity_twice_adds_nothing(demo):
    people = demo
    counts = (Thread.objects.count(), Post.objects.count())
    seed_discussions(people, {c.slug: c for c in Community.objects.filter(status="active")})
    assert (Thread.objects.count(), Post.objects.count()) == counts
