"""New words go straight into the search indexes: nothing waits in a GIN pending
list, which every search would read in full until a vacuum merged it."""

import pytest
from django.core.management import call_command
from django.db import connection

from forums.management import scale_copy
from forums.models import Thread
from search.engine import search_threads
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def pending_pages(index: str) -> int:
    """Pages waiting in the index's pending list (merging them empties it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        return cursor.fetchone()[0]


def start_and_answer(author) -> None:
    community = CommunityFactory()
    MembershipFactory(community=community, user=author)
    thread = make_thread(community=community, author=author, title="Sinkhole on the high street", body="Any advice?")
    make_reply(thread=thread, author=author, body="We closed Quillwort Lane and posted updates hourly.")


def index_oid(index: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::regclass::oid", [index])
        return cursor.fetchone()[0]


def test_a_new_thread_and_reply_leave_nothing_pending(bob):
    start_and_answer(bob)
    assert [row.thread.title for row in search_threads(bob, query="quillwort")] == ["Sinkhole on the high street"]
    assert pending_pages("thread_search_idx") == 0
    assert pending_pages("post_search_idx") == 0


def test_the_posts_index_rebuilt_by_seed_scale_also_leaves_nothing_pending(bob, monkeypatch):
    monkeypatch.setattr(scale_copy, "REBUILD_INDEX_ABOVE", 0)
    before = index_oid("post_search_idx")
    call_command("seed_scale", members=5, communities=2, threads=4, posts=20, big_thread_replies=5, verbosity=0)
    assert Thread.objects.count() == 4
    assert index_oid("post_search_idx") != before  # dropped and built again
    start_and_answer(bob)
    assert [row.thread.title for row in search_threads(bob, query="quillwort")] == ["Sinkhole on the high street"]
    assert pending_pages("post_search_idx") == 0
