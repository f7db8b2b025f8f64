import pytest

from communities.demo import seed_communities
from forums.demo import seed_discussions
from forums.models import Post, Thread
from members.demo import seed_members

pytestmark = pytest.mark.django_db


def test_demo_discussions_fill_every_community_and_seeding_twice_changes_nothing():
    people = seed_members()
    communities = seed_communities(people)
    seed_discussions(people, communities)
    for community in communities.values():
        if community.status == "active":
            assert Thread.objects.filter(community=community).exists(), community.slug
    facebook = Thread.objects.get(title__startswith="How are you handling comments on your Facebook page")
    assert facebook.accepted_answer is not None
    assert facebook.posts.filter(depth__gte=3).exists()
    assert Thread.objects.filter(kind="announcement", is_pinned=True).exists()
    assert Thread.objects.filter(is_locked=True).exclude(lock_reason="").exists()
    assert not Post.objects.exclude(status="published").exists()
    threads, posts = Thread.objects.count(), Post.objects.count()
    seed_discussions(people, communities)
    assert (Thread.objects.count(), Post.objects.count()) == (threads, posts)
