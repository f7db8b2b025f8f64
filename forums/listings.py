"""Thread lists that cost almost nothing to serve again: a page's thread ids per
community content_version, and each row's HTML per thread version, in the "fragments"
cache; only the member's own unread marks are looked up on every view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.core.cache import caches
from django.db import connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.functional import cached_property

from core.tags import with_tag_lists
from forums.models import Thread

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


class ThreadRows:
    """The rows of a page of listed threads as one viewer sees them. Their keys (each
    row's thread version and the viewer's unread mark) take one query, made here;
    their HTML is fetched or rendered only when the rows are read, so a page cached
    under the keys (forums.community_views.home) never needs it."""

    def __init__(self, request, listed: list[ListedThread], *, show_community: bool = False):
        self.request, self.listed, self.show_community = request, listed, show_community
        user = request.user
        last_read = {}
        if user.is_authenticated and listed:
            last_read = last_read_times(user, [item.pk for item in listed])
        self.marks, self.key_of = {}, {}
        for item in listed:
            read_at = last_read.get(item.pk)
            unread = user.is_authenticated and (read_at is None or read_at < item.last_activity_at)
            self.marks[item.pk] = (unread, read_at)
            self.key_of[item.pk] = _row_key(item, unread, read_at is not None, show_community)
        self.keys = list(self.key_of.values())  # in listed order

    @cached_property
    def html(self) -> list[str]:
        """Each row's HTML: from the cache when its version is unchanged, otherwise
        rendered from one query for all the missing rows."""
        rows = self._html_by_key
        return [rows[key] for key in self.keys if key in rows]

    def html_for(self, pks: list[int]) -> list[str]:
        """The HTML of these rows only, in this order: for a page that shows its rows in
        several lists (forums.home_views), so each is fetched or rendered once."""
        rows = self._html_by_key
        return [rows[self.key_of[pk]] for pk in pks if self.key_of.get(pk) in rows]

    @cached_property
    def _html_by_key(self) -> dict[str, str]:
        rows = fragments().get_many(self.keys)
        missing = [pk for pk, key in self.key_of.items() if key not in rows]
        if missing:
            threads = with_tag_lists(Thread.objects.filter(pk__in=missing).select_related("author", "community"))
            rendered = {}
            for thread in threads:
                thread.is_unread, thread.last_read_at = self.marks[thread.pk]
                context = {"thread": thread, "show_community": self.show_community}
                rendered[self.key_of[thread.pk]] = render_to_string(ROW_TEMPLATE, context, request=self.request)
            fragments().set_many(rendered)
            rows.update(rendered)
        return rows

    def __iter__(self):
        return iter(self.html)

    def __len__(self) -> int:
        return len(self.html)


def last_read_times(user, thread_ids: list[int]) -> dict[int, datetime]:
    """When `user` last read each of these threads they have read. In plain SQL: it runs
    on every thread list a member sees, and the ORM took longer to build the query than
    PostgreSQL took to answer it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT thread_id, last_read_at FROM forums_threadreadstate WHERE user_id = %s AND thread_id = ANY(%s)",
            [user.pk, thread_ids],
        )
        return dict(cursor.fetchall())
