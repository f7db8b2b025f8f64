"""Reads for the site's home page (forums.home_views) through the ORM: suggestions on a
member's first visit, and for visitors the latest public discussions and the most active
public communities. A member's own sections are in forums.member_home. Every list starts
from visible_to(user); each is one query whatever the data size (tests/forums/test_home.py)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Value

from communities.models import Community, Membership
from forums.listings import LISTED_FIELDS, ListedThread
from forums.models import Thread
from members.models import Organisation, TaggedExpertise

SUGGESTIONS = 6
VISITOR_ROWS = 10
ACTIVE_COMMUNITIES = 6


def _listed(threads, limit: int) -> list[ListedThread]:
    """The first `limit` threads as a thread list's rows (forums.listings.ThreadRows)."""
    return [ListedThread(*row) for row in threads.values_list(*LISTED_FIELDS)[:limit]]


def suggested_communities(user) -> list[Community]:
    """Communities for a member who belongs to none yet: those whose topics match their
    expertise, then those with members from the same type of organisation or region,
    then the most recently active. Only live communities they may read and could join
    in one click (not invitation-only, not archived, not ones they have asked to join)."""
    members = Membership.objects.filter(community=OuterRef("pk"), status=Membership.Status.ACTIVE)
    kind = Organisation.objects.filter(pk=user.organisation_id).values("kind")[:1]
    expertise = TaggedExpertise.objects.filter(content_object=user).values("tag__slug")
    topic_match = Community.objects.filter(pk=OuterRef("pk"), topics__slug__in=expertise)
    communities = (
        Community.objects.visible_to(user)
        .filter(status=Community.Status.ACTIVE)
        .exclude(join_policy=Community.JoinPolicy.INVITE)
        .exclude(Exists(Membership.objects.filter(community=OuterRef("pk"), user=user)))
        .annotate(
            topic_match=Exists(topic_match),
            kind_match=Exists(members.filter(user__organisation__kind=kind)),
            region_match=Exists(members.filter(user__region=user.region)) if user.region else Value(False),
        )
        .defer("description", "description_html", "guidelines", "guidelines_html", "decision_reason")
        .order_by("-topic_match", "-kind_match", "-region_match", "-last_activity_at", "name")
    )
    return list(communities[:SUGGESTIONS])


def latest_public_threads(user) -> list[ListedThread]:
    """The latest discussions a visitor may read, for the visitor's home page."""
    return _listed(Thread.objects.visible_to(user).order_by("-last_activity_at", "-pk"), VISITOR_ROWS)


def active_public_communities(user) -> list[Community]:
    """The public communities with the most recent activity, with their member counts."""
    return list(
        Community.objects.visible_to(user)
        .filter(status=Community.Status.ACTIVE, visibility=Community.Visibility.PUBLIC)
        .only("pk", "name", "slug", "summary", "member_count", "thread_count", "last_activity_at")
        .order_by("-last_activity_at", "name")[:ACTIVE_COMMUNITIES]
    )
