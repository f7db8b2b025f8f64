"""Writes with consequences in communities: proposing, joining, leaving, managing
members, invitations. Each event happens here and nowhere else, so later work
(in-site notifications, background email) hooks into one place.

Views check the permission rules first to choose 404 or 403; the services check
them again (raising PermissionDenied) and enforce the invariants that do not
depend on who asks (a community keeps an owner; a ban is kept) by raising
MembershipError with a sentence to show."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest, Lower
from django.utils import timezone
from django.utils.text import slugify

from communities import emails, events, permissions
from communities.models import Community, Invitation, Membership
from core.markdown import render_markdown
from core.text import one_line
from members.models import User
from members.selectors import site_admins

Role, Status = Membership.Role, Membership.Status

# Path segments under /communities/ that a community's slug must not take.
RESERVED_SLUGS = {"propose", "proposals", "invitations", "new"}


class MembershipError(Exception):
    """A request that breaks a membership rule; the message is shown to the person."""


def _notify(event, **arguments) -> None:
    """Send `event` (communities/events.py) after commit: notifications hears it."""
    transaction.on_commit(lambda: event.send(sender=Community, **arguments))


# Counters and activity ------------------------------------------------------


def _count_member(community: Community, delta: int, *, activity: bool = True) -> None:
    # Greatest() keeps a drifted counter (rows made outside the services) from going negative.
    updates = {"member_count": Greatest(F("member_count") + delta, 0)}
    if activity:
        updates["last_activity_at"] = timezone.now()
    Community.objects.filter(pk=community.pk).update(**updates)


def _forget(user, community: Community) -> None:
    permissions.forget_membership(user, community)


def _lock(membership: Membership) -> Membership:
    """Re-read the membership under a row lock, so two clicks cannot both count."""
    try:
        return Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)
    except Membership.DoesNotExist:
        raise MembershipError("That membership no longer exists.") from None


def _other_owners(membership: Membership):
    return (
        Membership.objects.select_for_update()
        .filter(community_id=membership.community_id, role=Role.OWNER, status=Status.ACTIVE)
        .exclude(pk=membership.pk)
    )


def _keeps_an_owner(membership: Membership) -> None:
    if membership.role == Role.OWNER and membership.status == Status.ACTIVE and not _other_owners(membership).exists():
        raise MembershipError(
            f"{membership.community.name} must keep at least one owner. Appoint another owner first."
        )


# Proposals --------------------------------------------------------------------


def unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "community"
    if base in RESERVED_SLUGS:
        base = f"{base}-community"
    slug, n = base, 2
    while Community.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def community_propose(
    *, proposer, name: str, summary: str, description: str, visibility: str, join_policy: str
) -> Community:
    if not permissions.can_propose_community(proposer):
        raise PermissionDenied
    name = one_line(name)  # it names the community in every email's subject
    community = Community.objects.create(
        name=name,
        slug=unique_slug(name),
        summary=summary,
        description=description,
        description_html=render_markdown(description),
        visibility=visibility,
        join_policy=join_policy,
        status=Community.Status.PROPOSED,
        created_by=proposer,
        member_count=0,
    )
    admins = list(site_admins().values_list("email", flat=True))
    # robust: the proposal is saved whole by now; a mail server's failure is logged,
    # not shown as an error that would have the proposer send it again.
    transaction.on_commit(lambda: emails.send_proposal_received(community, admins), robust=True)
    return community


@transaction.atomic
def community_approve(*, community: Community, actor) -> Community:
    """Open a proposed community; its proposer becomes its owner."""
    if not permissions.can_review_proposals(actor):
        raise PermissionDenied
    community = Community.objects.select_for_update().get(pk=community.pk)
    if community.status != Community.Status.PROPOSED:
        raise MembershipError("That proposal has already been decided.")
    now = timezone.now()
    community.status = Community.Status.ACTIVE
    community.last_activity_at = now
    community.save(update_fields=["status", "last_activity_at"])
    if community.created_by is not None:
        Membership.objects.update_or_create(
            community=community,
            user=community.created_by,
            defaults={"role": Role.OWNER, "status": Status.ACTIVE, "joined_at": now},
        )
        _count_member(community, +1)
        transaction.on_commit(lambda: emails.send_proposal_approved(community), robust=True)
    return community


@transaction.atomic
def community_decline(*, community: Community, actor, reason: str) -> Community:
    if not permissions.can_review_proposals(actor):
        raise PermissionDenied
    community = Community.objects.select_for_update().get(pk=community.pk)
    if community.status != Community.Status.PROPOSED:
        raise MembershipError("That proposal has already been decided.")
    community.status = Community.Status.DECLINED
    community.decision_reason = reason
    community.save(update_fields=["status", "decision_reason"])
    transaction.on_commit(lambda: emails.send_proposal_declined(community))
    return community


# Joining and leaving ----------------------------------------------------------


@transaction.atomic
def membership_join(*, community: Community, user) -> Membership:
    """Open: an active member at once. By request: a pending request, emailed to the
    facilitators. Invitation only: refused (invitations are accepted instead)."""
    existing = Membership.objects.select_for_update().filter(community=community, user=user).first()
    if existing is not None:
        if existing.status == Status.BANNED:
            raise MembershipError(f"You cannot join {community.name}.")
        raise MembershipError(f"You are already in {community.name} ({existing.get_status_display().lower()}).")
    if not permissions.can_join(user, community):
        if community.join_policy == Community.JoinPolicy.INVITE:
            raise MembershipError(f"{community.name} is by invitation only.")
        raise PermissionDenied
    now = timezone.now()
    if community.join_policy == Community.JoinPolicy.OPEN:
        membership = Membership.objects.create(community=community, user=user, status=Status.ACTIVE, joined_at=now)
        _count_member(community, +1)
    else:
        membership = Membership.objects.create(community=community, user=user, status=Status.PENDING)
        transaction.on_commit(lambda: emails.send_join_request(membership))
        _notify(events.join_requested, membership=membership)
    _forget(user, community)
    return membership


@transaction.atomic
def membership_leave(*, community: Community, user) -> None:
    """Leave, withdraw a request or turn down an invitation. The last owner stays;
    a ban is kept (leaving must not lift it)."""
    membership = Membership.objects.select_for_update().filter(community=community, user=user).first()
    if membership is None:
        raise MembershipError(f"You are not in {community.name}.")
    if membership.status == Status.BANNED:
        raise PermissionDenied
    _keeps_an_owner(membership)
    was_active = membership.is_active
    membership.delete()
    Invitation.objects.filter(community=community, user=user, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED
    )
    if was_active:
        _count_member(community, -1, activity=False)
    _forget(user, community)


# Requests -----------------------------------------------------------------------


@transaction.atomic
def membership_approve(*, membership: Membership, actor) -> Membership:
    membership = _lock(membership)
    if not permissions.can_moderate(actor, membership.community):
        raise PermissionDenied
    if membership.status != Status.PENDING:
        raise MembershipError("That request has already been answered.")
    membership.status = Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    _count_member(membership.community, +1)
    transaction.on_commit(lambda: emails.send_request_approved(membership))
    _notify(events.join_request_decided, membership=membership, approved=True, reason="")
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, actor, reason: str) -> None:
    """Decline a request with a reason, emailed. The person may ask again later."""
    membership = _lock(membership)
    if not permissions.can_moderate(actor, membership.community):
        raise PermissionDenied
    if membership.status != Status.PENDING:
        raise MembershipError("That request has already been answered.")
    community, user = membership.community, membership.user
    membership.delete()
    transaction.on_commit(lambda: emails.send_request_declined(community=community, user=user, reason=reason))
    _notify(
        events.join_request_decided,
        membership=Membership(community=community, user=user),
        approved=False,
        reason=reason,
    )


# Managing members ---------------------------------------------------------------


@transaction.atomic
def membership_change_role(*, membership: Membership, actor, role: str) -> Membership:
    membership = _lock(membership)
    if not permissions.can_change_role(actor, membership):
        raise PermissionDenied
    if role not in Role.values:
        raise MembershipError("Choose a role.")
    if membership.role == Role.OWNER and role != Role.OWNER:
        _keeps_an_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Remove a member (or lift a ban: removing a banned member lets them rejoin)."""
    membership = _lock(membership)
    if not permissions.can_manage_member(actor, membership):
        raise PermissionDenied
    _keeps_an_owner(membership)
    was_active = membership.is_active
    membership.delete()
    # Cancelling an invited membership also stops its emailed link.
    Invitation.objects.filter(
        community=membership.community, user=membership.user, status=Invitation.Status.PENDING
    ).update(status=Invitation.Status.REVOKED)
    if was_active:
        _count_member(membership.community, -1, activity=False)


@transaction.atomic
def membership_ban(*, membership: Membership, actor, reason: str) -> Membership:
    """Ban with a reason: the row stays, so the person cannot rejoin, read a private
    or members-only community, or post."""
    membership = _lock(membership)
    if not permissions.can_manage_member(actor, membership):
        raise PermissionDenied
    if membership.status == Status.BANNED:
        raise MembershipError(f"{membership.user.name} is already banned.")
    _keeps_an_owner(membership)
    was_active = membership.is_active
    membership.status = Status.BANNED
    membership.role = Role.MEMBER
    membership.ban_reason = reason
    membership.save(update_fields=["status", "role", "ban_reason"])
    Invitation.objects.filter(community=membership.community, user=membership.user, status="pending").update(
        status=Invitation.Status.REVOKED
    )
    if was_active:
        _count_member(membership.community, -1, activity=False)
    transaction.on_commit(lambda: emails.send_banned(membership=membership))
    return membership


# Invitations --------------------------------------------------------------------


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
        _notify(events.invitation_sent, invitation=invitation)
    return report


def _lock_invitation(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().select_related("community").get(pk=invitation.pk)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    invitation = _lock_invitation(invitation)
    if not permissions.can_moderate(actor, invitation.community):
        raise PermissionDenied
    if invitation.status != Invitation.Status.PENDING:
        raise MembershipError("That invitation has already been answered or withdrawn.")
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
    invitation = _lock_invitation(invitation)
    if not permissions.can_moderate(actor, invitation.community):
        raise PermissionDenied
    if invitation.status != Invitation.Status.PENDING:
        raise MembershipError("That invitation has already been answered or withdrawn.")
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
        _count_member(community, +1)
    elif membership.status != Status.ACTIVE:
        membership.status, membership.joined_at = Status.ACTIVE, now
        membership.save(update_fields=["status", "joined_at"])
        _count_member(community, +1)
    invitation.status, invitation.accepted_at, invitation.user = Invitation.Status.ACCEPTED, now, user
    invitation.save(update_fields=["status", "accepted_at", "user"])
    _forget(user, community)
    return membership
