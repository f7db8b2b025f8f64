"""Writes with consequences in communities: proposing, joining, leaving, managing members
(invitations: communities.invitation_services). Views check the permission rules first
to choose 404 or 403; these check them again (PermissionDenied) and keep what does not
depend on who asks (a community keeps an owner; a ban is kept) with MembershipError."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify

from communities import emails, events, permissions
from communities.models import Community, Invitation, Membership
from core.markdown import render_markdown
from core.text import one_line
from members.selectors import site_admins

Role, Status = Membership.Role, Membership.Status

# Path segments under /communities/ that a community's slug must not take.
RESERVED_SLUGS = {"propose", "proposals", "invitations", "new"}


class MembershipError(Exception):
    """A request that breaks a membership rule; the message is shown to the person."""


def notify_after_commit(event, **arguments) -> None:
    """Send `event` (communities/events.py) after commit: notifications hears it."""
    transaction.on_commit(lambda: event.send(sender=Community, **arguments))


# Counters and activity ------------------------------------------------------


def count_member(community: Community, delta: int, *, activity: bool = True) -> None:
    # Greatest() keeps a drifted counter (rows made outside the services) from going negative.
    updates = {"member_count": Greatest(F("member_count") + delta, 0)}
    if activity:
        updates["last_activity_at"] = timezone.now()
    Community.objects.filter(pk=community.pk).update(**updates)


def forget_access(user, community: Community) -> None:
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
        count_member(community, +1)
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
        count_member(community, +1)
    else:
        membership = Membership.objects.create(community=community, user=user, status=Status.PENDING)
        transaction.on_commit(lambda: emails.send_join_request(membership))
        notify_after_commit(events.join_requested, membership=membership)
    forget_access(user, community)
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
        count_member(community, -1, activity=False)
    forget_access(user, community)


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
    count_member(membership.community, +1)
    transaction.on_commit(lambda: emails.send_request_approved(membership))
    notify_after_commit(events.join_request_decided, membership=membership, approved=True, reason="")
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
    notify_after_commit(
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
        count_member(membership.community, -1, activity=False)


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
        count_member(membership.community, -1, activity=False)
    transaction.on_commit(lambda: emails.send_banned(membership=membership))
    return membership
