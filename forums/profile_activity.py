"""What a member's profile lists of their activity (members/views.py shows it; this is
registered with members.selectors from ForumsConfig.ready, as members cannot read the
apps above it)."""

from __future__ import annotations

from communities.models import Community, Membership
from forums.models import Post, Thread
from members.models import User
from members.selectors import RECENT_ACTIVITY


def profile_activity(*, viewer, member: User) -> dict:
    """What a profile shows, built only from what `viewer` may see."""
    member_of = Membership.objects.filter(user=member, status=Membership.Status.ACTIVE).values("community_id")
    communities = Community.objects.visible_to(viewer).filter(pk__in=member_of).order_by("name")
    visible_threads = Thread.objects.visible_to(viewer).filter(is_hidden=False, is_unpublished=False)
    threads = visible_threads.filter(author=member).select_related("community").order_by("-created_at")
    replies = (
        Post.objects.visible_to(viewer)
        .filter(
            author=member,
            parent__isnull=False,
            status=Post.Status.PUBLISHED,
            thread__is_hidden=False,
            thread__is_unpublished=False,
        )
        .select_related("thread", "thread__community")
        .order_by("-created_at")
    )
    return {
        "communities": list(communities),
        "threads": list(threads[:RECENT_ACTIVITY]),
        "replies": list(replies[:RECENT_ACTIVITY]),
        "accepted_answers": visible_threads.filter(
            accepted_answer__author=member, accepted_answer__status=Post.Status.PUBLISHED
        ).count(),
    }
