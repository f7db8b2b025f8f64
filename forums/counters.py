"""The stored counters lists show: a thread's `reply_count` and a community's
`thread_count`, with their `last_activity_at`, recounted from the rows by
`counts_refresh` after every write that can change them (docs/architecture.md, "Counters")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from communities.models import Community
from forums.models import Post, Thread


def _ids(items: Iterable) -> list[int]:
    """Primary keys from model instances or ids, without repeats, in order (rows are
    locked in pk order, so two writers never wait on each other the other way round)."""
    return sorted({getattr(item, "pk", item) for item in items if item is not None})


def _count(queryset, column: str) -> Coalesce:
    """`SELECT count(*)` of `queryset`'s rows for the outer row, 0 when there are none."""
    counted = queryset.order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counts_refresh(*, threads: Iterable = (), communities: Iterable = (), active_at: datetime | None = None) -> None:
    """Recount `reply_count` (published replies, the opening post not counted) of
    `threads` and `thread_count` (threads listed: not hidden, not an unpublished import)
    of `communities`. With `active_at`, their `last_activity_at` moves forward to it.

    The rows are locked first, in a statement of their own: under READ COMMITTED the
    recount that follows then sees every post a concurrent writer committed while we
    waited, so two replies at once are both counted."""
    thread_ids, community_ids = _ids(threads), _ids(communities)
    if thread_ids:
        list(Thread.objects.select_for_update(of=("self",)).filter(pk__in=thread_ids).order_by("pk").values_list("pk"))
        replies = Post.objects.filter(thread=OuterRef("pk"), parent__isnull=False, status=Post.Status.PUBLISHED)
        changes = {"reply_count": _count(replies, "thread")}
        if active_at is not None:
            changes["last_activity_at"] = Greatest("last_activity_at", Value(active_at))
        Thread.objects.filter(pk__in=thread_ids).update(**changes)
    if community_ids:
        list(Community.objects.select_for_update().filter(pk__in=community_ids).order_by("pk").values_list("pk"))
        listed = Thread.objects.filter(community=OuterRef("pk"), is_hidden=False, is_unpublished=False)
        changes = {"thread_count": _count(listed, "community")}
        if active_at is not None:
            changes["last_activity_at"] = Greatest("last_activity_at", Value(active_at))
        Community.objects.filter(pk__in=community_ids).update(**changes)
