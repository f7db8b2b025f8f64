"""A thread in outline: each post's place, author and status, and the thread's tags.

That is all the thread page needs to choose a page of replies and to work out what
the viewer may do with each post, so it is kept per thread content_version (which
PostgreSQL moves on with any change to the thread, its posts or its tags:
migrations/0003) and the posts themselves are loaded only when a page's HTML is
not cached already.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.core.cache import caches

from communities.permissions import can_view_post
from core.tags import with_tag_lists
from forums.models import Post, Thread


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


class ThreadOutline(NamedTuple):
    posts: list[OutlineEntry]  # every post, whatever its status: opening first, then the tree
    tags: list[TagLink]


class OutlinedPost:
    """One post as the outline knows it, with the attributes the permission functions
    read; thread_permissions adds what the viewer may do with it."""

    def __init__(self, entry: OutlineEntry, thread: Thread):
        self.pk, self.author_id, self.parent_id, self.depth, self.status, self.created_at, self.edited_at = entry
        self.thread = thread

    @property
    def is_opening(self) -> bool:
        return self.parent_id is None


def _build(thread: Thread) -> ThreadOutline:
    posts = Post.objects.filter(thread=thread).order_by("sort_path", "pk")
    fields = ["pk", "author_id", "parent_id", "depth", "status", "created_at", "edited_at"]
    tags = with_tag_lists([thread])[0].tag_list
    return ThreadOutline(
        posts=[OutlineEntry(*row) for row in posts.values_list(*fields)],
        tags=[TagLink(tag.name, tag.slug) for tag in tags],
    )


def thread_outline(thread: Thread) -> ThreadOutline:
    """The thread's outline, from the cache while its content_version is unchanged."""
    key = f"thread-outline:{thread.pk}:{thread.content_version}"
    return caches["fragments"].get_or_set(key, lambda: _build(thread))


def visible_entries(user, thread: Thread, outline: ThreadOutline) -> list[OutlineEntry]:
    """The posts `user` may read, in tree order, by permissions.can_view_post. Within
    one thread its answer depends only on a post's status and whether the user wrote
    it, so it is asked once for each such kind of post, not for each of hundreds."""
    verdicts: dict[tuple[str, bool], bool] = {}
    visible = []
    me = user.pk if user.is_authenticated else None  # once: request.user is a lazy proxy
    for entry in outline.posts:
        kind = (entry.status, me is not None and entry.author_id == me)
        if kind not in verdicts:
            verdicts[kind] = can_view_post(user, OutlinedPost(entry, thread))
        if verdicts[kind]:
            visible.append(entry)
    return visible
