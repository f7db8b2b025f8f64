"""Featured threads, the highlights email facilitators send when they choose, and
unpinning announcements whose time is up (pinning one until a date is a thread action,
in moderation/thread_actions.py). Each service checks its own rule
(communities.permissions), so no path can skip it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_feature_threads, can_view_thread
from forums import events
from forums.models import Thread

# The most threads the community page and one highlights email show.
MOST_FEATURED = 5


class HighlightsError(Exception):
    """Refused, with a sentence saying why."""


def featured_threads(community: Community) -> QuerySet[Thread]:
    """A community's featured threads, most recently featured first. Hidden threads
    never show, whoever looks: the community page is shared by everyone who sees it."""
    shown = Thread.objects.filter(
        community=community, featured_at__isnull=False, is_hidden=False, is_unpublished=False
    )
    return shown.order_by("-featured_at", "-pk")


@transaction.atomic
def thread_feature(*, thread: Thread, actor, featured: bool = True) -> Thread:
    """Feature a thread at the top of its community (or stop featuring it)."""
    if not (can_feature_threads(actor, thread.community) and can_view_thread(actor, thread)):
        raise HighlightsError(f"Only the facilitators of {thread.community.name} can choose its highlights.")
    if featured and thread.is_hidden:
        raise HighlightsError("A hidden thread cannot be featured. Restore it first.")
    if featured and thread.is_unpublished:
        raise HighlightsError("An imported thread cannot be featured until its import is published.")
    if featured and featured_threads(thread.community).exclude(pk=thread.pk).count() >= MOST_FEATURED:
        raise HighlightsError(f"You can feature up to {MOST_FEATURED} threads. Remove one first.")
    thread.featured_at = timezone.now() if featured else None
    thread.save(update_fields=["featured_at"])
    return thread


def highlights_send(*, community: Community, actor) -> list[int]:
    """Email the featured threads to the community's members who have not turned
    highlights off (notifications hears highlights_sent once this commits)."""
    if not can_feature_threads(actor, community):
        raise HighlightsError(f"Only the facilitators of {community.name} can send its highlights.")
    thread_ids = list(featured_threads(community).values_list("pk", flat=True)[:MOST_FEATURED])
    if not thread_ids:
        raise HighlightsError("Feature at least one thread before you send highlights.")
    transaction.on_commit(
        lambda: events.highlights_sent.send(sender=Community, community=community, actor=actor, thread_ids=thread_ids)
    )
    return thread_ids


def announcements_expire(*, now: datetime | None = None) -> int:
    """Unpin announcements whose time is up (manage.py expire_announcements, from cron).
    PostgreSQL's triggers move each community's content version on, so cached pages
    drop them too."""
    return Thread.objects.filter(is_pinned=True, pinned_until__lte=now or timezone.now()).update(
        is_pinned=False, pinned_until=None
    )


def pinned_announcements(community: Community) -> QuerySet[Thread]:
    return Thread.objects.filter(
        community=community, kind=Thread.Kind.ANNOUNCEMENT, is_pinned=True, is_hidden=False, is_unpublished=False
    ).order_by("-created_at", "-pk")
