"""Reads about members: the directory, profiles, the staff lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time

from allauth.account.models import EmailAddress
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from members.models import TaggedExpertise, User

RECENT_ACTIVITY = 10
# A directory search matches members by each of its words; punctuation only separates them.
_WORD = re.compile(r"[\w'’-]+")
MAX_QUERY_WORDS = 10


def may_use_directory(viewer) -> bool:
    """The directory and profiles are for signed-in, approved members."""
    return viewer.is_authenticated and (viewer.is_approved or viewer.is_site_admin)


def site_admins() -> QuerySet[User]:
    """Everyone for whom User.is_site_admin holds, as a query."""
    return User.objects.filter(Q(is_superuser=True) | Q(is_staff=True), is_active=True)


def listed_members() -> QuerySet[User]:
    """Members who appear in the directory and have a profile page (User.is_listed)."""
    return User.objects.filter(status=User.Status.APPROVED, is_active=True, erased_at__isnull=True)


def _describes(word: str) -> Q:
    """Members with `word` in their name or username, job title, organisation or expertise."""
    expertise = TaggedExpertise.objects.filter(content_object=OuterRef("pk"), tag__name__icontains=word)
    return (
        Q(display_name__icontains=word)
        | Q(username__icontains=word)
        | Q(job_title__icontains=word)
        | Q(organisation__name__icontains=word)
        | Q(organisation_other__icontains=word)
        | Exists(expertise)
    )


def directory_members(
    *, q: str = "", kind: str = "", region: str = "", ranking: dict[int, int] | None = None
) -> QuerySet[User]:
    """Listed members, narrowed to those described by every word of `q` (in any order,
    each in any field: "Hughes, Tom" finds Tom Hughes, "press Leeds" a press officer in
    Leeds; punctuation alone is no word) and to an organisation type and region.
    With `ranking` (member id → score), highest score first, then by name."""
    members = listed_members().select_related("organisation").prefetch_related("expertise")
    words = [word for word in (found.strip("'’-") for found in _WORD.findall(q)) if word]
    members = members.filter(*[_describes(word) for word in words[:MAX_QUERY_WORDS]])
    if kind:
        members = members.filter(organisation__kind=kind)
    if region:
        members = members.filter(region=region)
    if ranking:
        score = Case(*[When(pk=pk, then=Value(value)) for pk, value in ranking.items()], default=Value(0))
        return members.annotate(expertise_score=score).order_by("-expertise_score", "display_name", "pk")
    return members.order_by("display_name", "pk")


def get_profile_for(viewer, username: str) -> User:
    """The member whose profile `viewer` may see, or 404."""
    if not may_use_directory(viewer):
        raise Http404
    members = User.objects.all() if viewer.is_site_admin else listed_members()
    member = get_object_or_404(members.select_related("organisation"), username=username)
    if member.is_erased:
        raise Http404
    return member


# What a profile lists (communities, threads, replies) lives in the apps above; forums
# registers it from ForumsConfig.ready (forums/profile_activity.py).
_activity: Callable[..., dict] | None = None


def register_profile_activity(activity: Callable[..., dict]) -> None:
    global _activity
    _activity = activity


def profile_activity(*, viewer, member: User) -> dict:
    """What a profile shows, built only from what `viewer` may see."""
    if _activity is None:
        raise ImproperlyConfigured("No profile activity registered: is the forums app installed?")
    return _activity(viewer=viewer, member=member)


def approval_queue() -> QuerySet[User]:
    """Members waiting for a site admin: verified their address, not recognised."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return (
        User.objects.filter(status=User.Status.PENDING, is_active=True, erased_at__isnull=True)
        .filter(Exists(verified))
        .order_by("date_joined", "pk")
    )


def get_pending_member(pk: int) -> User:
    return get_object_or_404(approval_queue(), pk=pk)


def staff_members(filters: dict) -> QuerySet[User]:
    """The site admins' members list, filtered by StaffMemberFilterForm's cleaned data."""
    members = User.objects.filter(erased_at__isnull=True).select_related("organisation")
    if filters.get("status"):
        members = members.filter(status=filters["status"])
    if filters.get("organisation"):
        members = members.filter(organisation=filters["organisation"])
    if filters.get("kind"):
        members = members.filter(organisation__kind=filters["kind"])
    if filters.get("region"):
        members = members.filter(region=filters["region"])
    zone = timezone.get_current_timezone()
    if filters.get("joined_from"):
        members = members.filter(date_joined__gte=datetime.combine(filters["joined_from"], time.min, tzinfo=zone))
    if filters.get("joined_to"):
        members = members.filter(date_joined__lte=datetime.combine(filters["joined_to"], time.max, tzinfo=zone))
    return members.order_by("-date_joined", "-pk")
