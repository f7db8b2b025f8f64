"""Moderation's answers to forums' posting seams (forums/policy.py): whether a new
post is held for review, and why someone may not post right now."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from communities.models import Community
from communities.permissions import can_moderate
from forums.models import Post
from moderation.elections import hold_note, holding_period
from moderation.models import CommunityModerationSettings, MemberSanction

RATE_WINDOW = timedelta(hours=1)
DEFAULT_RATE_LIMITS = {
    "new_member_days": 7,
    "new_member_min_posts": 3,
    "new_member_threads_per_hour": 3,
    "new_member_replies_per_hour": 10,
    "posts_per_hour": 30,
}


def rate_limits() -> dict:
    return {**DEFAULT_RATE_LIMITS, **getattr(settings, "MODERATION_RATE_LIMITS", {})}


def settings_for(community: Community) -> CommunityModerationSettings:
    """The community's settings, or the defaults (unsaved) when none were chosen."""
    found = CommunityModerationSettings.objects.filter(community=community).first()
    if found is not None:
        return found
    default = getattr(
        settings, "MODERATION_DEFAULT_HOLD_FIRST_POSTS", CommunityModerationSettings.DEFAULT_HOLD_FIRST_POSTS
    )
    return CommunityModerationSettings(community=community, hold_first_posts=default)


def post_needs_review(*, author, community: Community) -> bool:
    """Hold a new post when the community pre-moderates everyone, the member is on
    pre-moderation, or the member has fewer approved posts here than the community's
    threshold, or a pre-election period covering the member's organisation is in force.
    Facilitators and site admins are never held."""
    if not author.is_authenticated or can_moderate(author, community):
        return False
    if holding_period(author=author, community=community) is not None:
        return True
    chosen = settings_for(community)
    if chosen.premoderate_all:
        return True
    on_premoderation = (
        MemberSanction.objects.in_force()
        .filter(community=community, user=author, kind=MemberSanction.Kind.PREMODERATION)
        .exists()
    )
    if on_premoderation:
        return True
    if chosen.hold_first_posts == 0:
        return False
    approved = Post.objects.filter(author=author, thread__community=community, status=Post.Status.PUBLISHED).count()
    return approved < chosen.hold_first_posts


def post_held_note(*, author, community: Community) -> str:
    """Why a new post is held, for its author, when there is a stated reason (a
    pre-election period); "" otherwise."""
    period = holding_period(author=author, community=community)
    return hold_note(period) if period is not None else ""


def format_time(moment: datetime) -> str:
    """'3:45pm' today, '3:45pm on 5 December 2026' on another day (local time)."""
    local = timezone.localtime(moment)
    clock = f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    if local.date() == timezone.localtime().date():
        return clock
    return f"{clock} on {date_format(local, 'j F Y')}"


def is_new_member(author, published_posts: int) -> bool:
    limits = rate_limits()
    joined_recently = author.date_joined > timezone.now() - timedelta(days=limits["new_member_days"])
    return joined_recently or published_posts < limits["new_member_min_posts"]


def _rate_limit_reason(author, action: str | None) -> str | None:
    limits = rate_limits()
    since = timezone.now() - RATE_WINDOW
    recent = Q(created_at__gte=since)
    opening = Q(parent__isnull=True)
    figures = Post.objects.filter(author=author).aggregate(
        published=Count("pk", filter=Q(status=Post.Status.PUBLISHED)),
        posts=Count("pk", filter=recent),
        threads=Count("pk", filter=recent & opening),
        replies=Count("pk", filter=recent & ~opening),
    )
    checks = [("posts", limits["posts_per_hour"], Q(), "You can post up to {limit} times an hour.")]
    if is_new_member(author, figures["published"]):
        if action in (None, "thread"):
            checks.append(
                (
                    "threads",
                    limits["new_member_threads_per_hour"],
                    opening,
                    "New members can start {limit} threads an hour.",
                )
            )
        if action in (None, "reply"):
            checks.append(
                (
                    "replies",
                    limits["new_member_replies_per_hour"],
                    ~opening,
                    "New members can post {limit} replies an hour.",
                )
            )
    for name, limit, which, sentence in checks:
        if figures[name] >= limit:
            # Once the limit-th newest post in the window is an hour old, a slot frees up.
            newest_first = Post.objects.filter(which, author=author, created_at__gte=since).order_by("-created_at")
            freeing = newest_first.values_list("created_at", flat=True)[max(limit - 1, 0)]
            return f"{sentence.format(limit=limit)} You can post again after {format_time(freeing + RATE_WINDOW)}."
    return None


def posting_blocked_reason(*, author, community: Community, action: str | None = None) -> str | None:
    """Why `author` may not post in `community` now (a mute, a rate limit), or None.
    `action` is "thread" or "reply" when the caller knows; without it both new-member
    limits apply. Site admins are never limited."""
    if not author.is_authenticated or author.is_site_admin:
        return None
    mute = (
        MemberSanction.objects.in_force()
        .filter(community=community, user=author, kind=MemberSanction.Kind.MUTE)
        .order_by("-until")
        .first()
    )
    if mute is not None:
        if mute.until is None:
            return f"A facilitator has stopped you posting in {community.name}."
        return f"A facilitator has stopped you posting in {community.name} until {format_time(mute.until)}."
    return _rate_limit_reason(author, action)
