"""Factories and helpers for communities' own tests."""

from communities import invitation_services
from communities.models import Community, Membership
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


def community_run_by(facilitator, owner=None, **kwargs) -> Community:
    """A community with `facilitator` as its facilitator and an owner."""
    community = CommunityFactory(**kwargs)
    MembershipFactory(community=community, user=owner or UserFactory(), role=Membership.Role.OWNER)
    MembershipFactory(community=community, user=facilitator, role=Membership.Role.FACILITATOR)
    Community.objects.filter(pk=community.pk).update(member_count=2)
    community.refresh_from_db()
    return community


def invite(community, inviter, *addresses: str):
    """Invite (name, email) pairs through the real service; returns the report."""
    recipients = [("", a) if isinstance(a, str) else a for a in addresses]
    return invitation_services.invitations_send(community=community, inviter=inviter, recipients=recipients)
