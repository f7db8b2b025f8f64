"""The home page runs a fixed number of queries whatever the data size."""

import pytest
from django.core.cache import caches

from forums.models import Thread
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.forums.factories import bulk_threads
from tests.matrix import client_as

pytestmark = pytest.mark.django_db

# Session, member, their communities with pending-request counts, access, unread counts
# with the new threads, waiting threads, their own threads with announcements, one set
# of read marks, rows and tags for both lists, review counts (two), two-factor prompt.
MEMBER_HOME_QUERIES = 13
# Session, member, access, memberships, own threads, suggestions.
FIRST_VISIT_QUERIES = 6
# With the page cache empty: the pre-election periods in force (part of every kept
# page's key), the site's content version, access, threads (ids, rows, tags) and
# communities.
VISITOR_HOME_QUERIES = 7


def fill(communities: int, threads: int, member, other):
    """`communities` communities the member facilitates, each with `threads` questions by
    someone else, an announcement, a question of the member's and a reply to it."""
    for n in range(communities):
        community = CommunityFactory(name=f"Home {n}", slug=f"home-{n}")
        MembershipFactory(community=community, user=member, role="facilitator")
        MembershipFactory(community=community, user=other)
        bulk_threads(community=community, author=other, count=threads, tag="floods")
        make_thread(community=community, author=other, title=f"News {n}", kind=Thread.Kind.ANNOUNCEMENT)
        mine = make_thread(community=community, author=member, title=f"Mine {n}")
        make_reply(thread=mine, author=other)


@pytest.mark.parametrize(("communities", "threads"), [(2, 3), (10, 40)])
def test_member_home_query_count_is_fixed(alice, bob, communities, threads, django_assert_num_queries, no_rate_limits):
    fill(communities, threads, alice, bob)
    client = client_as(alice)
    caches["fragments"].clear()
    with django_assert_num_queries(MEMBER_HOME_QUERIES):
        response = client.get("/")
    body = response.content.decode()
    assert "Announcement in" in body
    assert "Bulk thread" in body.split("Questions waiting for an answer")[1]
    assert "Mine" in body.split("Your questions")[1]


@pytest.mark.parametrize("communities", [1, 15])
def test_first_visit_query_count_is_fixed(charlie, communities, django_assert_num_queries):
    for n in range(communities):
        CommunityFactory(name=f"Suggested {n}", slug=f"suggested-{n}")
    client = client_as(charlie)
    client.get("/")  # as a running worker: the topics' content type is cached from then on
    with django_assert_num_queries(FIRST_VISIT_QUERIES):
        response = client.get("/")
    assert "Communities you might join" in response.content.decode()


@pytest.mark.parametrize("threads", [3, 60])
def test_visitor_home_query_count_is_fixed(alice, bob, threads, django_assert_num_queries, no_rate_limits):
    fill(3, threads, alice, bob)
    client = client_as(None)
    caches["fragments"].clear()
    caches["pages"].clear()
    with django_assert_num_queries(VISITOR_HOME_QUERIES):
        response = client.get("/")
    assert "Bulk thread" in response.content.decode()
