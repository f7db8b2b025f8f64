"""Invitations to a community: sending them (each address sorted first: already a
member, already invited, banned, not an address), withdrawing, resending and
accepting them. The rules are those of communities.services."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from communities import emails, events, permissions
from communities.models import Community, Invitation, Membership
from communities.services import MembershipError, count_member, forget_access, notify_after_commit
from members.models import User

Role, Status = Membership.Role, Membership.Status


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("community", "invited_by").filter(token_hash=hash_token(token)).first()


@dataclass
class InvitationReport:
    """What happens (or happened) to each address pasted into the invite page."""

    invited: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    not_invited: list[str] = field(default_factory=list)  # banned from the community
    invalid: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def invited_people(self) -> list[tuple[str, str]]:
        """(name, email) of the people invited, in the order pasted."""
        return [(self.names.get(email, ""), email) for email in self.invited]


def _sort_invitees(community: Community, recipients: list[tuple[str, str]]) -> tuple[InvitationReport, dict]:
    """Which addresses would be invited and why the others would not; and the accounts
    that already exist, by lower-cased address. Reads only."""
    report = InvitationReport()
    for name, email in recipients:
        report.names.setdefault(email.strip().lower(), name.strip())
    emails_wanted = set(report.names)
    users = {
        u.email_lower: u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails_wanted)
    }
    memberships = {m.user_id: m for m in Membership.objects.filter(community=community, user__in=users.values())}
    # An expired invitation does not block a fresh one.
    pending = set(
        Invitation.objects.outstanding()
        .filter(community=community, email__in=emails_wanted)
        .values_list("email", flat=True)
    )
    for email in report.names:
        user = users.get(email)
        membership = memberships.get(user.pk) if user else None
        if membership is not None and membership.status == Status.ACTIVE:
            report.already_members.append(email)
        elif membership is not None and membership.status == Status.BANNED:
            report.not_invited.append(email)
        elif email in pending:
            report.already_invited.append(email)
        else:
            report.invited.append(email)
    return report, users


def invitations_preview(*, community: Community, inviter, recipients: list[tuple[str, str]]) -> InvitationReport:
    """What invitations_send would do with these (name, email) pairs now, sending nothing."""
    if not permissions.can_moderate(inviter, community):
        raise PermissionDenied
    return _sort_invitees(community, recipients)[0]


@transaction.atomic
def invitations_send(*, community: Community, inviter, recipients: list[tuple[str, str]]) -> InvitationReport:
    """Invite (name, email) pairs. Existing accounts get an `invited` membership and the
    same emailed link as new people: nobody is added to a community without saying yes.
    Addresses already invited are reported, not emailed again (use "resend")."""
    if not permissions.can_moderate(inviter, community):
        raise PermissionDenied
    report, users = _sort_invitees(community, recipients)
    now = timezone.now()
    Invitation.objects.filter(
        community=community, email__in=report.invited, status=Invitation.Status.PENDING, expires_at__lte=now
    ).update(status=Invitation.Status.REVOKED)
    to_send: list[tuple[Invitation, str]] = []
    for name, email in report.invited_people:
        user = users.get(email)
        if user is not None:
            # A pending request becomes an invitation: the facilitators want them in.
            Membership.objects.update_or_create(
                community=community, user=user, defaults={"status": Status.INVITED, "role": Role.MEMBER}
            )
        token, token_hash = _new_token()
        invitation = Invitation.objects.create(
            community=community,
            email=email,
            name=name[:200],
            token_hash=token_hash,
            invited_by=inviter,
            user=user,
            sent_at=now,
            expires_at=now + timedelta(days=Invitation.VALID_FOR_DAYS),
        )
        to_send.append((invitation, token))
    for invitation, token in to_send:  # each on its own: one failure must not stop the rest
        transaction.on_commit(partial(emails.send_invitation, invitation, token), robust=True)
    for invitation, _ in to_send:
        notify_after_commit(events.invitation_sent, invitation=invitation)
    return report


def _lock_invitation(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().select_related("community").get(pk=invitation.pk)


def _pending_invitation_to_manage(invitation: Invitation, actor) -> Invitation:
    """The invitation, locked, if `actor` may manage its community's invitations and it
    still waits for an answer."""
    invitation = _lock_invitation(invitation)
    if not permissions.can_moderate(actor, invitation.community):
        raise PermissionDenied
    if invitation.status != Invitation.Status.PENDING:
        raise MembershipError("That invitation has already been answered or withdrawn.")
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    invitation = _pending_invitation_to_manage(invitation, actor)
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    if invitation.user_id:
        Membership.objects.filter(
            community=invitation.community, user_id=invitation.user_id, status=Status.INVITED
        ).delete()
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """A fresh link (the old one stops working), valid for another 14 days."""
    invitation = _pending_invitation_to_manage(invitation, actor)
    token, invitation.token_hash = _new_token()
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + timedelta(days=Invitation.VALID_FOR_DAYS)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    transaction.on_commit(lambda: emails.send_invitation(invitation, token))
    return invitation


def invitation_addressed_to(invitation: Invitation, user) -> bool:
    """The signed-in person owns the invited address (a verified email of theirs)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Accept with the emailed link, signed in with the invited, verified address."""
    invitation = _lock_invitation(invitation)
    community = invitation.community
    if invitation.status != Invitation.Status.PENDING or invitation.is_expired:
        raise MembershipError("This invitation has expired or been withdrawn. Ask a facilitator to invite you again.")
    if not invitation_addressed_to(invitation, user):
        raise MembershipError(
            f"This invitation was sent to {invitation.email}. Sign in with that address to accept it."
        )
    if community.status == Community.Status.ARCHIVED:
        raise MembershipError(f"{community.name} has been archived.")
    membership = Membership.objects.select_for_update().filter(community=community, user=user).first()
    if membership is not None and membership.status == Status.BANNED:
        raise MembershipError(f"You cannot join {community.name}.")
    now = timezone.now()
    if membership is None:
        membership = Membership.objects.create(community=community, user=user, status=Status.ACTIVE, joined_at=now)
        count_member(community, +1)
    elif membership.status != Status.ACTIVE:
        membership.status, membership.joined_at = Status.ACTIVE, now
        membership.save(update_fields=["status", "joined_at"])
        count_member(community, +1)
    invitation.status, invitation.accepted_at, invitation.user = Invitation.Status.ACCEPTED, now, user
    invitation.save(update_fields=["status", "accepted_at", "user"])
    forget_access(user, community)
    return membership
