"""The community's welcome message: shown to each new member on joining, and carried
once in their first email from the community."""

from __future__ import annotations

from django.utils import timezone

from communities.models import Community, Membership


def claim_welcome(*, community: Community, user) -> Community | None:
    """The community, when this email should carry its welcome message: it has one, and
    the person is an active member who has not had it by email yet. Marks it sent in
    the same statement, so two emails built at once cannot both carry it."""
    if not community.welcome_message_html or user is None:
        return None
    claimed = Membership.objects.filter(
        community=community, user=user, status=Membership.Status.ACTIVE, welcome_emailed_at__isnull=True
    ).update(welcome_emailed_at=timezone.now())
    return community if claimed else None
