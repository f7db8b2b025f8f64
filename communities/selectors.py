"""Reads for community pages. Every list starts from Community.objects.visible_to."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from taggit.models import Tag

from communities.models import Community, Invitation, Membership
from members.selectors import listed_members

PER_PAGE = 20

# Owners, then facilitators, then members.
ROLE_RANK = Case(
    When(role=Membership.Role.OWNER, then=Value(0)),
    When(role=Membership.Role.FACILITATOR, then=Value(1)),
    default=Value(2),
)

SORT_ORDERS = {
    "activity": ["-last_activity_at", "name"],
    "members": ["-member_count", "name"],
    "name": ["name"],
}


def directory_topics(user) -> list[tuple[str, str]]:
    """(slug, name) of the topics used by communities the user may see."""
    visible = Community.objects.visible_to(user).values("pk")
    tags = Tag.objects.filter(
        taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Community),
        taggit_taggeditem_items__object_id__in=visible,
    ).distinct()
    return [(tag.slug, tag.name) for tag in tags.order_by("name")]


def directory_communities(user, *, q: str = "", topic: str = "", sort: str = "activity") -> QuerySet[Community]:
    """The directory: what the user may see, their own communities first."""
    communities = Community.objects.visible_to(user).filter(
        status__in=[Community.Status.ACTIVE, Community.Status.ARCHIVED]
    )
    if q:
        communities = communities.filter(Q(name__icontains=q) | Q(summary__icontains=q))
    if topic:
        communities = communities.filter(topics__slug=topic)
    if user.is_authenticated:
        mine = Membership.objects.filter(community=OuterRef("pk"), user=user, status=Membership.Status.ACTIVE)
        communities = communities.annotate(is_mine=Exists(mine))
    else:
        communities = communities.annotate(is_mine=Value(False))
    return communities.order_by("-is_mine", *SORT_ORDERS.get(sort, SORT_ORDERS["activity"]))


def paginate(queryset, page_number) -> Page:
    return Paginator(queryset, PER_PAGE).get_page(page_number)


def facilitators(community: Community) -> list[Membership]:
    """Owners then facilitators, with their accounts. Cached while the community's
    content_version stands: PostgreSQL moves it on when a membership changes or one
    of its members is renamed (forums/migrations/0003_content_versions.py)."""

    def load() -> list[Membership]:
        return list(
            Membership.objects.filter(
                community=community,
                status=Membership.Status.ACTIVE,
                role__in=Membership.MODERATOR_ROLES,
            )
            .select_related("user")
            .order_by(ROLE_RANK, "user__display_name")
        )

    return caches["fragments"].get_or_set(f"facilitators:{community.pk}:{community.content_version}", load)


def member_list(community: Community) -> QuerySet[Membership]:
    """Everyone on the members page except people who only asked to join (see requests),
    and accounts nobody may find: pending, rejected, suspended or erased (issue 27)."""
    return (
        Membership.objects.filter(community=community, user__in=listed_members())
        .exclude(status=Membership.Status.PENDING)
        .select_related("user")
        .order_by("status", ROLE_RANK, "user__display_name", "pk")
    )


def member_list_for(community: Community, *, details: bool, role: str = "", status: str = "") -> QuerySet[Membership]:
    """The members page (issue 22). Members see active members only; facilitators
    (`details`) see invited and banned people too, and may filter by role and status."""
    memberships = member_list(community).select_related("user__organisation")
    if not details:
        return memberships.filter(status=Membership.Status.ACTIVE)
    if role:
        memberships = memberships.filter(role=role)
    if status:
        memberships = memberships.filter(status=status)
    return memberships


def pending_requests(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, status=Membership.Status.PENDING)
        .select_related("user", "user__organisation")
        .order_by("created_at", "pk")
    )


def pending_request_count(community: Community) -> int:
    return Membership.objects.filter(community=community, status=Membership.Status.PENDING).count()


def invitation_list(community: Community) -> QuerySet[Invitation]:
    return Invitation.objects.filter(community=community).select_related("invited_by").order_by("-sent_at", "pk")


def proposals() -> QuerySet[Community]:
    return (
        Community.objects.filter(status=Community.Status.PROPOSED).select_related("created_by").order_by("created_at")
    )
