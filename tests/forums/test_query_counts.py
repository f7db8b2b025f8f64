import pytest
from django.core.cache import caches
from django.urls import reverse

from forums.outline import thread_outline
from forums.services import answer_accept
from tests.factories import make_reply
from tests.forums.factories import bulk_replies, bulk_threads
from tests.matrix import client_as

pytestmark = pytest.mark.django_db

# With nothing cached: session, user (with their unread-notification tally), thread,
# tags, outline, the member's marks, access (with every membership), posts, attachments,
# pre-election periods in force (their banner is part of the page's key).
THREAD_PAGE_QUERIES = 10
# With the outline and the posts' HTML cached: no tags, outline, posts or attachments.
CACHED_THREAD_PAGE_QUERIES = 6


@pytest.mark.parametrize("count", [5, 500])
def test_thread_page_query_count_is_fixed(thread, alice, bob, count, django_assert_max_num_queries):
    replies = bulk_replies(thread=thread, author=alice, count=count)
    make_reply(thread=thread, author=bob, parent=replies[0], body="Nested")
    answer_accept(thread=thread, post=replies[1], by=bob)
    client = client_as(bob)
    client.get(thread.get_absolute_url())  # first visit creates the read state
    caches["fragments"].clear()
    caches["pages"].clear()
    thread_outline.cache_clear()
    with django_assert_max_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 500])
def test_a_cached_thread_page_runs_fewer_queries(thread, alice, bob, count, django_assert_num_queries):
    bulk_replies(thread=thread, author=alice, count=count)
    client = client_as(bob)
    client.get(thread.get_absolute_url())
    with django_assert_num_queries(CACHED_THREAD_PAGE_QUERIES):
        response = client.get(thread.get_absolute_url())
    assert "Show:" in response.content.decode()


@pytest.mark.parametrize("count", [5, 500])
def test_thread_page_query_count_for_anonymous(thread, alice, count, django_assert_max_num_queries):
    bulk_replies(thread=thread, author=alice, count=count)
    client = client_as(None)
    with django_assert_max_num_queries(9):
        response = client.get(thread.get_absolute_url() + "?order=oldest")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [20, 500])
def test_tag_page_query_count_is_fixed(community, bob, count, django_assert_max_num_queries):
    bulk_threads(community=community, author=bob, count=count, tag="floods")
    client = client_as(bob)
    # 12: with the tag's experts (accepted answers, helpful marks) and whether bob follows it
    with django_assert_max_num_queries(12):
        response = client.get(reverse("tag_threads", kwargs={"tag": "floods"}))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 500])
def test_post_redirect_query_count_is_fixed(thread, alice, count, django_assert_max_num_queries):
    replies = bulk_replies(thread=thread, author=alice, count=count)
    client = client_as(alice)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("post_redirect", kwargs={"pk": replies[-1].pk}))
    assert response.status_code == 302
