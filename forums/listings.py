"""Thread lists that cost almost nothing to serve again.

A listing remembers, for one page, each thread's id and content_version (which
PostgreSQL moves on whenever anything a row shows changes: forums/migrations/0003).
A community's listing is cached under the community's content_version, so any new,
changed, hidden or moved thread gives a new key. Rows are rendered once per thread
version and kept in the "fragments" cache; only the member's own unread marks are
looked up on every view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.core.cache import caches
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.functional import cached_property

from core.tags import with_tag_lists
from forums.models import Thread, ThreadReadState

ROW_TEMPLATE = "forums/_thread_row.html"


def fragments():
    return caches["fragments"]


class ListedThread(NamedTuple):
    pk: int
    version: int
    community_version: int
    last_activity_at: datetime


LISTED_FIELDS = ["pk", "content_version", "community__content_version", "last_activity_at"]


class Listing:
    """Ordered threads that Paginator can page through: the count and each page are
    cached under `key` (None: not cached, for lists that depend on the viewer).
    `threads` makes the queryset, and is called only when the cache cannot answer."""

    def __init__(self, threads: Callable[[], QuerySet[Thread]], key: str | None = None):
        self.make_threads = threads
        self.key = key

    @cached_property
    def threads(self) -> QuerySet[Thread]:
        # Made once, on the first count or page the cache could not answer.
        return self.make_threads()

    def _cached(self, suffix: str, compute):
        if self.key is None:
            return compute()
        return fragments().get_or_set(f"{self.key}:{suffix}", compute)

    def count(self) -> int:
        return self._cached("count", lambda: self.threads.count())

    def __getitem__(self, page: slice) -> list[ListedThread]:
        return self._cached(
            f"{page.start}-{page.stop}",
            lambda: [ListedThread(*row) for row in self.threads[page].values_list(*LISTED_FIELDS)],
        )


def _row_key(listed: ListedThread, unread: bool, last_read: bool, show_community: bool) -> str:
    community = listed.community_version if show_community else "-"
    return f"thread-row:{listed.pk}:{listed.version}:{community}:{unread:d}:{last_read:d}:{show_community:d}"


def render_rows(request, listed: list[ListedThread], *, show_community: bool = False) -> list[str]:
    """Each listed thread's row as HTML: from the cache when its version is unchanged,
    otherwise rendered from one query for all the missing rows."""
    user = request.user
    last_read = {}
    if user.is_authenticated and listed:
        states = ThreadReadState.objects.filter(user=user, thread_id__in=[item.pk for item in listed])
        last_read = dict(states.values_list("thread_id", "last_read_at"))
    marks, keys = {}, {}
    for item in listed:
        read_at = last_read.get(item.pk)
        unread = user.is_authenticated and (read_at is None or read_at < item.last_activity_at)
        marks[item.pk] = (unread, read_at)
        keys[item.pk] = _row_key(item, unread, read_at is not None, show_community)
    rows = fragments().get_many(keys.values())
    missing = [item.pk for item in listed if keys[item.pk] not in rows]
    if missing:
        threads = with_tag_lists(Thread.objects.filter(pk__in=missing).select_related("author", "community"))
        rendered = {}
        for thread in threads:
            thread.is_unread, thread.last_read_at = marks[thread.pk]
            context = {"thread": thread, "show_community": show_community}
            rendered[keys[thread.pk]] = render_to_string(ROW_TEMPLATE, context, request=request)
        fragments().set_many(rendered)
        rows.update(rendered)
    return [rows[keys[item.pk]] for item in listed if keys[item.pk] in rows]
