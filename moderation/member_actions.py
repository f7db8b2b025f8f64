"""Moderation decisions about members: warn, mute, pre-moderate, ban (with or without
hiding the post that led to it), lift a sanction, suspend or reinstate an account.
Each is atomic and recorded in the moderation log (moderation.services.log_action)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from communities.models import Community, Membership
from communities.permissions import forget_membership
from communities.services import MembershipError, membership_ban
from core.request_memo import forget_all
from forums.models import Post
from members.models import User
from moderation import emails
from moderation.models import MemberSanction, ModerationAction
from moderation.services import ModerationError, log_action, notify_after_commit, post_hide

A = ModerationAction.Action
T = ModerationAction.TargetType


# Members -----------------------------------------------------------------------------


def _sanction(*, community, user, actor, kind, message, until=None) -> MemberSanction:
    return MemberSanction.objects.create(
        community=community, user=user, kind=kind, message=message, until=until, created_by=actor
    )


def _member_log(user, *, actor, action: str, community: Community | None = None, **states) -> None:
    """One moderation log entry about a member (states: from_state, to_state, reason)."""
    log_action(
        actor=actor,
        action=action,
        community=community,
        target_type=T.USER,
        target_id=user.pk,
        target_text=f"{user.name} ({user.username})",
        **states,
    )


@transaction.atomic
def member_warn(*, community: Community, user, actor, message: str) -> MemberSanction:
    """A private warning, recorded against the member and emailed to them."""
    sanction = _sanction(
        community=community, user=user, actor=actor, kind=MemberSanction.Kind.WARNING, message=message
    )
    _member_log(
        user,
        actor=actor,
        action=A.MEMBER_WARN,
        community=community,
        to_state="warned",
        reason=message,
    )
    notify_after_commit(lambda: emails.sanction_issued(sanction))
    return sanction


@transaction.atomic
def member_mute(*, community: Community, user, actor, until: datetime, reason: str) -> MemberSanction:
    """Stop a member posting in the community until a date."""
    sanction = _sanction(
        community=community, user=user, actor=actor, kind=MemberSanction.Kind.MUTE, message=reason, until=until
    )
    _member_log(
        user,
        actor=actor,
        action=A.MEMBER_MUTE,
        community=community,
        to_state=f"muted until {timezone.localtime(until):%d %b %Y %H:%M}",
        reason=reason,
    )
    notify_after_commit(lambda: emails.sanction_issued(sanction))
    return sanction


@transaction.atomic
def member_premoderate(*, community: Community, user, actor, reason: str) -> MemberSanction:
    """Hold every post the member makes in the community until this is lifted."""
    sanction = _sanction(
        community=community, user=user, actor=actor, kind=MemberSanction.Kind.PREMODERATION, message=reason
    )
    _member_log(
        user,
        actor=actor,
        action=A.MEMBER_PREMODERATE,
        community=community,
        to_state="posts held for review",
        reason=reason,
    )
    return sanction


@transaction.atomic
def sanction_lift(*, sanction: MemberSanction, actor, reason: str = "") -> MemberSanction:
    sanction = MemberSanction.objects.select_for_update().get(pk=sanction.pk)
    if not sanction.is_in_force or sanction.kind == MemberSanction.Kind.WARNING:
        raise ModerationError("This is not in force.")
    sanction.lifted_at = timezone.now()
    sanction.save(update_fields=["lifted_at"])
    _member_log(
        sanction.user,
        actor=actor,
        action=A.SANCTION_LIFT,
        community=sanction.community,
        from_state=sanction.get_kind_display(),
        to_state="lifted",
        reason=reason,
    )
    return sanction


@transaction.atomic
def user_suspend(*, user, actor, reason: str):
    """Suspend a site account (site admins only): the member can no longer sign in."""
    was = user.status
    if was == User.Status.SUSPENDED:
        raise ModerationError("This account is already suspended.")
    User.objects.filter(pk=user.pk).update(status=User.Status.SUSPENDED)
    user.status = User.Status.SUSPENDED
    forget_all()  # update() sends no signal: drop what this request knew of their access
    _member_log(
        user,
        actor=actor,
        action=A.USER_SUSPEND,
        from_state=was,
        to_state=User.Status.SUSPENDED,
        reason=reason,
    )
    return user


@transaction.atomic
def user_reinstate(*, user, actor, reason: str = ""):
    if user.status != User.Status.SUSPENDED:
        raise ModerationError("This account is not suspended.")
    User.objects.filter(pk=user.pk).update(status=User.Status.APPROVED)
    user.status = User.Status.APPROVED
    forget_all()  # update() sends no signal: drop what this request knew of their access
    _member_log(
        user,
        actor=actor,
        action=A.USER_REINSTATE,
        from_state=User.Status.SUSPENDED,
        to_state=User.Status.APPROVED,
        reason=reason,
    )
    return user


@transaction.atomic
def member_ban(*, community: Community, user, actor, reason: str) -> Membership:
    """Ban a member from a community through the communities service (which checks
    who may ban whom, keeps counts and emails them), and record it in the log. Someone
    with no membership gets a banned one, so they cannot join and post again."""
    membership = Membership.objects.filter(community=community, user=user).first()
    was = membership.status if membership else "not a member"
    if membership is not None and membership.status == Membership.Status.BANNED:
        raise ModerationError(f"{user.name} is already banned.")
    if membership is None:
        membership = Membership.objects.create(
            community=community, user=user, status=Membership.Status.BANNED, ban_reason=reason[:500]
        )
    else:
        try:
            membership = membership_ban(membership=membership, actor=actor, reason=reason[:500])
        except MembershipError as error:
            raise ModerationError(str(error)) from error
    forget_membership(user, community)
    _member_log(
        user,
        actor=actor,
        action=A.MEMBER_BAN,
        community=community,
        from_state=was,
        to_state=Membership.Status.BANNED,
        reason=reason,
    )
    return membership


@transaction.atomic
def post_hide_and_ban(*, post: Post, actor, reason: str) -> Post:
    post = post_hide(post=post, actor=actor, reason=reason)
    if post.author is not None:
        member_ban(community=post.thread.community, user=post.author, actor=actor, reason=reason)
    return post
