import re

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from communities.models import Community
from forums.selectors import community_thread_list
from forums.services import answer_accept, thread_mark_read
from moderation.thread_actions import thread_hide, thread_pin
from tests.factories import make_reply, make_thread
from tests.forums.factories import bulk_threads

pytestmark = pytest.mark.django_db


ROW_TITLE = re.compile(r'<a class="govuk-link govuk-!-font-weight-bold" href="[^"]*">([^<]*)</a>')


def thread_list(community, user, query=None):
    request = RequestFactory().get("/", query or {})
    request.user = user
    # As the view does: the community as it is now (its content_version keys the cache).
    context = community_thread_list(request, Community.objects.get(pk=community.pk))
    html = render_to_string("forums/_community_threads.html", context, request=request)
    return context, html


def titles(context):
    return [ROW_TITLE.search(row).group(1) for row in context["thread_rows"]]


def test_pinned_first_then_by_last_activity(community, bob, alice):
    old = make_thread(community=community, author=bob, title="Old")
    make_thread(community=community, author=bob, title="Newer")
    make_reply(thread=old, author=alice)
    pinned = make_thread(community=community, author=bob, title="Rules")
    pinned.__class__.objects.filter(pk=pinned.pk).update(last_activity_at=timezone.now() - timezone.timedelta(days=9))
    thread_pin(thread=pinned, actor=alice)
    context, _ = thread_list(community, bob)
    assert titles(context) == ["Rules", "Old", "Newer"]


def test_rows_show_kind_author_tags_replies_and_answered(community, bob, alice):
    thread = make_thread(community=community, author=bob, title="Flood warnings", tags=["floods"])
    answer = make_reply(thread=thread, author=alice)
    answer_accept(thread=thread, post=answer, by=bob)
    _, html = thread_list(community, bob)
    for text in ["Flood warnings", "Question", "Bob Member", "floods", "1 reply", "Answered"]:
        assert text in html


def test_unread_state_for_signed_in_members(community, bob, alice):
    read = make_thread(community=community, author=alice, title="Read one")
    make_thread(community=community, author=alice, title="Unread one")
    thread_mark_read(thread=read, user=bob)
    context, html = thread_list(community, bob)
    unread = {ROW_TITLE.search(row).group(1): ">New<" in row for row in context["thread_rows"]}
    assert unread == {"Read one": False, "Unread one": True}
    assert html.count(">New<") == 1


def test_filter_by_kind_tag_and_unanswered(community, bob, alice):
    make_thread(community=community, author=bob, title="Talk", kind="discussion")
    make_thread(community=community, author=bob, title="Tagged", tags=["alt text"])
    answered = make_thread(community=community, author=bob, title="Answered")
    answer_accept(thread=answered, post=make_reply(thread=answered, author=alice), by=bob)
    assert titles(thread_list(community, bob, {"kind": "discussion"})[0]) == ["Talk"]
    assert titles(thread_list(community, bob, {"tag": "alt-text"})[0]) == ["Tagged"]
    assert set(titles(thread_list(community, bob, {"unanswered": "on"})[0])) == {"Tagged"}


def test_filter_unread(community, bob, alice):
    read = make_thread(community=community, author=alice, title="Read one")
    make_thread(community=community, author=alice, title="Unread one")
    thread_mark_read(thread=read, user=bob)
    assert titles(thread_list(community, bob, {"unread": "on"})[0]) == ["Unread one"]


def test_invalid_filters_are_ignored_not_500(community, bob):
    make_thread(community=community, author=bob, title="Still here")
    context, html = thread_list(community, bob, {"kind": "<script>", "tag": "!!", "page": "x"})
    assert titles(context) == ["Still here"]
    assert "<script>" not in html


def test_hidden_threads_are_not_listed_for_members(community, bob, alice):
    hidden = make_thread(community=community, author=bob, title="Hidden")
    hidden.__class__.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert titles(thread_list(community, bob)[0]) == []
    assert titles(thread_list(community, alice)[0]) == ["Hidden"]


def test_paginated_twenty_per_page(community, bob):
    bulk_threads(community=community, author=bob, count=25)
    context, html = thread_list(community, bob, {"page": "2"})
    assert len(context["thread_rows"]) == 5
    assert "govuk-pagination" in html


@pytest.mark.parametrize("count", [20, 2000])
def test_thread_list_query_count_is_fixed(client, community, bob, alice, count, django_assert_num_queries):
    bulk_threads(community=community, author=alice, count=count, tag="elections")
    client.force_login(bob)
    caches["fragments"].clear()  # the worst case: no listing or row cached yet
    # 12: two of them the community's featured threads (above the list) and the
    # pre-election periods in force (for the banner)
    with django_assert_num_queries(12):
        response = client.get(community.get_absolute_url())
    assert len(response.context["thread_rows"]) == 20


def test_a_cached_thread_list_is_served_in_fewer_queries(client, community, bob, alice, django_assert_num_queries):
    bulk_threads(community=community, author=alice, count=30)
    client.force_login(bob)
    client.get(community.get_absolute_url())
    # session, user (with their unread-notification tally), community, access (with
    # every membership), unread marks, pre-election periods in force (part of the key)
    with django_assert_num_queries(6):
        response = client.get(community.get_absolute_url())
    assert response.content.decode().count('class="app-thread-row"') == 20


def test_a_new_thread_shows_at_once_in_a_cached_list(client, community, bob, alice):
    make_thread(community=community, author=alice, title="First")
    client.force_login(bob)
    client.get(community.get_absolute_url())
    make_thread(community=community, author=alice, title="Second")
    assert titles(client.get(community.get_absolute_url()).context) == ["Second", "First"]


def test_a_hidden_thread_leaves_a_cached_list_at_once(client, community, bob, alice):
    thread = make_thread(community=community, author=alice, title="Soon hidden")
    client.force_login(bob)
    assert titles(client.get(community.get_absolute_url()).context) == ["Soon hidden"]
    thread_hide(thread=thread, actor=alice, reason="Off-topic")
    assert titles(client.get(community.get_absolute_url()).context) == []


def test_tag_filter_accepts_the_tag_as_people_write_it(community, bob):
    make_thread(community=community, author=bob, title="Tagged", tags=["Alt text"])
    make_thread(community=community, author=bob, title="Other")
    assert titles(thread_list(community, bob, {"tag": "Alt text"})[0]) == ["Tagged"]


def test_pagination_shows_the_current_page_among_its_neighbours_and_keeps_filters(community, bob):
    bulk_threads(community=community, author=bob, count=20 * 15)
    _context, html = thread_list(community, bob, {"page": "8", "kind": "question"})
    assert 'aria-current="page">8</a>' in html
    assert 'aria-label="Page 9"' in html
    previous = re.search(r'href="([^"]+)" rel="prev"', html).group(1)
    assert sorted(previous.lstrip("?").split("&amp;")) == ["kind=question", "page=7"]
