"""Writes for notifications and email preferences (keyword-only, transactional)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community
from forums.models import Thread
from notifications import tasks
from notifications.models import (
    EMAILED_KINDS,
    CommunityEmailPreference,
    EmailDelivery,
    EmailKindPreference,
    EmailOptOut,
    EmailStop,
    Notification,
    ReplyTokenVersion,
)
from notifications.selectors import forum_model, immediate_email_user_ids
from notifications.tokens import UnsubscribeScope, read_unsubscribe_token

# Kinds whose email is the post itself (in full, replyable); the others are a short note.
POST_EMAIL_KINDS = {Notification.Kind.REPLY, Notification.Kind.MENTION}


def post_email_key(post_id: int) -> str:
    """One key per post: a reply notification, a watched thread and every-post mode all
    send the same message, so a member gets a post once however many reasons apply."""
    return f"post-{post_id}"


def _enqueue_sending() -> None:
    tasks.send_queued_email.enqueue()


@transaction.atomic
def deliveries_queue(*, deliveries: Iterable[EmailDelivery]) -> None:
    """Record deliveries (a repeat of a (recipient, key) pair is ignored by the unique
    constraint) and wake a worker once the transaction commits."""
    rows = list(deliveries)
    if not rows:
        return
    EmailDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_enqueue_sending)


@transaction.atomic
def notifications_create(
    *,
    recipients: Iterable,
    kind: str,
    text: str,
    url: str,
    actor=None,
    community=None,
    thread=None,
    post=None,
    email: bool = True,
) -> list[Notification]:
    """One notification per recipient, and an email to those who want this kind emailed
    (unless `email` is False: the app where it happened sends its own email)."""
    people = {person.pk: person for person in recipients}
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=kind,
            actor=actor,
            community=community,
            thread=thread,
            post=post,
            text=text[:300],
            url=url,
        )
        for person in people.values()
    )
    emailed = immediate_email_user_ids(people.keys(), kind) if email else set()
    deliveries = []
    for notification in notifications:
        if notification.recipient_id not in emailed:
            continue
        if kind in POST_EMAIL_KINDS and post is not None:
            deliveries.append(
                EmailDelivery(
                    recipient_id=notification.recipient_id,
                    key=post_email_key(post.pk),
                    kind=EmailDelivery.Kind.POST,
                    post=post,
                )
            )
        else:
            deliveries.append(
                EmailDelivery(
                    recipient_id=notification.recipient_id,
                    key=f"notification-{notification.pk}",
                    kind=EmailDelivery.Kind.NOTIFICATION,
                    notification=notification,
                )
            )
    deliveries_queue(deliveries=deliveries)
    return notifications


def post_emails_queue(*, post, user_ids: Iterable[int]) -> None:
    deliveries_queue(
        deliveries=(
            EmailDelivery(recipient_id=uid, key=post_email_key(post.pk), kind=EmailDelivery.Kind.POST, post=post)
            for uid in set(user_ids)
        )
    )


def notification_mark_read(*, user, notification_id: int) -> bool:
    updated = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(updated)


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def community_email_mode_set(*, user, community: Community, mode: str) -> None:
    CommunityEmailPreference.objects.update_or_create(user=user, community=community, defaults={"mode": mode})


@transaction.atomic
def email_kind_preferences_set(*, user, immediate_kinds: Iterable[str]) -> None:
    immediate = set(immediate_kinds)
    for kind in EMAILED_KINDS:
        EmailKindPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email_immediately": kind in immediate}
        )


@transaction.atomic
def unsubscribe(*, token: str) -> UnsubscribeScope | None:
    """The one-click unsubscribe (RFC 8058): stop what the token's email was about. Email
    from its communities turns off, its thread is muted, its kind of notification is no
    longer emailed. Returns the scope, or None for a bad token."""
    scope = read_unsubscribe_token(token)
    if scope is None:
        return None
    if scope.opt_out:
        occasional_email_opt_out(user_id=scope.user_id, kind=scope.opt_out, community_ids=scope.community_ids)
        return scope
    for community in Community.objects.filter(pk__in=scope.community_ids):
        CommunityEmailPreference.objects.update_or_create(
            user_id=scope.user_id, community=community, defaults={"mode": CommunityEmailPreference.Mode.NONE}
        )
    thread = Thread.objects.filter(pk=scope.thread_id).first() if scope.thread_id else None
    if thread is not None:
        forum_model("ThreadSubscription").objects.update_or_create(
            user_id=scope.user_id, thread=thread, defaults={"level": "muted"}
        )
    if scope.kind in {kind.value for kind in EMAILED_KINDS}:
        EmailKindPreference.objects.update_or_create(
            user_id=scope.user_id, kind=scope.kind, defaults={"email_immediately": False}
        )
    return scope


def occasional_email_opt_out(*, user_id: int, kind: str, community_ids=()) -> None:
    """Turn one occasional email off (the weekly summary for facilitators, or a
    community's highlights or announcements) and nothing else."""
    if kind not in EmailOptOut.Kind.values:
        return
    if kind == EmailOptOut.Kind.FACILITATOR_WEEKLY:
        EmailOptOut.objects.get_or_create(user_id=user_id, kind=kind, community=None)
        return
    for community in Community.objects.filter(pk__in=community_ids):
        EmailOptOut.objects.get_or_create(user_id=user_id, kind=kind, community=community)


def occasional_email_opt_in(*, user, opt_out_id: int) -> bool:
    """Turn an occasional email back on; False when there was no such choice of theirs."""
    deleted, _ = EmailOptOut.objects.filter(user=user, pk=opt_out_id).delete()
    return bool(deleted)


def email_stop_all(*, user) -> None:
    """Stop every email but account and security messages, until they start it again."""
    EmailStop.objects.get_or_create(user=user)


def email_start_again(*, user) -> None:
    EmailStop.objects.filter(user=user).delete()


def thread_unwatch(*, user, thread_id: int) -> bool:
    """Stop watching (or un-mute) a thread: the member's choice goes back to the default."""
    subscription = forum_model("ThreadSubscription")
    if subscription is None:
        return False
    deleted, _ = subscription.objects.filter(user=user, thread_id=thread_id).delete()
    return bool(deleted)


@transaction.atomic
def reply_addresses_revoke(*, user) -> None:
    """Every reply-by-email address issued to the user stops working."""
    row, created = ReplyTokenVersion.objects.get_or_create(user=user, defaults={"version": 2})
    if not created:
        ReplyTokenVersion.objects.filter(pk=row.pk).update(version=F("version") + 1)
