"""A thread in outline: each post's place, author and status, and the thread's tags,
kept per thread content_version. Enough to choose a page of posts and what the viewer
may do with each (docs/architecture.md, "How caching works")."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import NamedTuple

import cachetools
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from communities.permissions import can_view_post
from forums.models import Thread


class OutlineEntry(NamedTuple):
    pk: int
    author_id: int | None
    parent_id: int | None
    depth: int
    status: str
    created_at: datetime
    edited_at: datetime | None


class TagLink(NamedTuple):
    name: str
    slug: str


class ThreadOutline:
    """Every post of a thread, whatever its status (opening first, then the tree),
    and the thread's tags. Built once per content_version and shared by every request
    in the process, so nothing it holds is ever changed; `with_statuses` only adds to
    its own memo, and two threads working out the same entry at once get equal answers."""

    def __init__(self, posts: list[OutlineEntry], tags: list[TagLink]):
        self.posts = tuple(posts)
        self.tags = tuple(tags)
        self.statuses = frozenset(entry.status for entry in self.posts)
        self.latest_created_at = max((entry.created_at for entry in self.posts), default=None)
        by_author: dict[int | None, set[str]] = {}
        for entry in self.posts:
            by_author.setdefault(entry.author_id, set()).add(entry.status)
        self._statuses_by_author = {author: frozenset(statuses) for author, statuses in by_author.items()}
        self._with_statuses: dict[frozenset[str], tuple[OutlineEntry, ...]] = {}

    def statuses_of(self, author_id: int | None) -> frozenset[str]:
        """The statuses of the posts `author_id` wrote in this thread."""
        return self._statuses_by_author.get(author_id, frozenset())

    def with_statuses(self, statuses: frozenset[str]) -> tuple[OutlineEntry, ...]:
        """The posts with one of `statuses`, in tree order; worked out once for each set."""
        if statuses not in self._with_statuses:
            self._with_statuses[statuses] = tuple(entry for entry in self.posts if entry.status in statuses)
        return self._with_statuses[statuses]


class OutlinedPost:
    """One post as the outline knows it, with the attributes the permission functions
    read; thread_permissions adds what the viewer may do with it."""

    def __init__(self, entry: OutlineEntry, thread: Thread):
        self.pk, self.author_id, self.parent_id, self.depth, self.status, self.created_at, self.edited_at = entry
        self.thread = thread

    @property
    def is_opening(self) -> bool:
        return self.parent_id is None


# Outlines as Python objects, not pickled in and out of a cache on every request
# (a 500-post thread's outline took longer to unpickle than its page took to render).
# The key holds content_version, so a changed thread gets a new entry.
_outlines = cachetools.LRUCache(maxsize=settings.OUTLINE_CACHE_ENTRIES)


# Two plain statements: through the ORM, building the queries took longer than
# PostgreSQL took to answer them, and a thread page outside the cache asks for both.
OUTLINE_SQL = """
    SELECT id, author_id, parent_id, depth, status, created_at, edited_at
    FROM forums_post WHERE thread_id = %s ORDER BY sort_path, id
"""
TAGS_SQL = """
    SELECT tag.name, tag.slug FROM taggit_taggeditem item JOIN taggit_tag tag ON tag.id = item.tag_id
    WHERE item.object_id = %s AND item.content_type_id = %s ORDER BY item.id
"""


@cachetools.cached(_outlines, key=lambda thread: (thread.pk, thread.content_version), lock=threading.Lock())
def thread_outline(thread: Thread) -> ThreadOutline:
    """The thread's outline, built once while its content_version is unchanged."""
    with connection.cursor() as cursor:
        cursor.execute(OUTLINE_SQL, [thread.pk])
        posts = [OutlineEntry(*row) for row in cursor.fetchall()]
        # The tags in the order they were added, as core.tags.with_tag_lists gives them.
        cursor.execute(TAGS_SQL, [thread.pk, ContentType.objects.get_for_model(Thread).pk])
        tags = [TagLink(*row) for row in cursor.fetchall()]
    return ThreadOutline(posts=posts, tags=tags)


def visible_entries(user, thread: Thread, outline: ThreadOutline) -> tuple[OutlineEntry, ...]:
    """The posts `user` may read, in tree order, by permissions.can_view_post. Within
    one thread its answer depends only on a post's status and whether the user wrote
    it, so it is asked once for each such kind of post, not for each of hundreds."""
    me = user.pk if user.is_authenticated else None
    verdicts: dict[tuple[str, bool], bool] = {}

    def may_view(status: str, own: bool) -> bool:
        if (status, own) not in verdicts:
            # A stand-in post of this kind: can_view_post reads only its thread, status and author.
            entry = OutlineEntry(
                pk=0, author_id=me if own else None, parent_id=None, depth=0,
                status=status, created_at=thread.created_at, edited_at=None,
            )  # fmt: skip
            verdicts[(status, own)] = can_view_post(user, OutlinedPost(entry, thread))
        return verdicts[(status, own)]

    shown = frozenset(status for status in outline.statuses if may_view(status, own=False))
    mine = outline.statuses_of(me) if me is not None else frozenset()
    if all(may_view(status, own=True) == (status in shown) for status in mine):
        # Usually so: their own posts are shown just as everyone else's are.
        return outline.with_statuses(shown)
    return tuple(entry for entry in outline.posts if may_view(entry.status, me is not None and entry.author_id == me))
