"""The one way out for email: a durable outbox in the database. `QueuedEmailBackend` is
the site's EMAIL_BACKEND, so every sender only writes a row per recipient in its own
transaction; the task worker sends them through EMAIL_DELIVERY_BACKEND. Retries and
the one window of "exactly once": README, "Email in and out"."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, make_msgid
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult, get_date_max

from forums.models import Attachment
from members.selectors import site_admins
from notifications.models import OutgoingEmail
from notifications.selectors import still_may_email

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)
GIVE_UP_AFTER = timedelta(days=2)
LONGEST_WAIT = timedelta(hours=4)
KEEP_FINISHED = timedelta(days=30)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each refusal, never more than LONGEST_WAIT."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def _attachment_parts(message: EmailMultiAlternatives) -> list[dict]:
    """Attachments stored in the row; a post's files (`attachment_ids`) are stored by
    reference instead and read when the email is sent."""
    if getattr(message, "attachment_ids", None):
        return []
    parts = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        data = content.encode() if isinstance(content, str) else bytes(content)
        parts.append({"filename": filename, "content": base64.b64encode(data).decode(), "mimetype": mimetype})
    return parts


def _content(message, recipient: str) -> dict:
    headers = dict(message.extra_headers)
    # Fixed now, so every attempt at this copy is the same message to mail clients.
    headers.setdefault("Message-ID", make_msgid(domain=settings.REPLY_DOMAIN))
    return {
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": recipient,
        "reply_to": list(message.reply_to),
        "body": message.body,
        "alternatives": [list(alternative) for alternative in getattr(message, "alternatives", [])],
        "headers": headers,
        "attachments": _attachment_parts(message),
        "guard": getattr(message, "guard", None),
        "attachment_ids": list(getattr(message, "attachment_ids", None) or []),
    }


class QueuedEmailBackend(BaseEmailBackend):
    """Stores each message, one row per recipient, and wakes a worker after commit."""

    def send_messages(self, email_messages) -> int:
        rows = [
            OutgoingEmail(to=recipient, subject=str(message.subject)[:1000], content=_content(message, recipient))
            for message in email_messages
            for recipient in message.recipients()
        ]
        if not rows:
            return 0
        with transaction.atomic():
            OutgoingEmail.objects.bulk_create(rows)
            transaction.on_commit(_wake_sender)
        return len(email_messages)


def _planned_runs():
    """Runs of send_outgoing_email waiting in the task queue (run_after is the maximum
    date for a run asked for at once)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=send_outgoing_email.module_path)


def _wake_sender() -> None:
    """One waiting run sends everything queued before it starts, so a burst of emails
    (a digest run, a busy thread) needs one, not one task row per email."""
    if send_outgoing_email.get_backend().supports_defer and _planned_runs().filter(run_after=get_date_max()).exists():
        return
    send_outgoing_email.enqueue()


def as_message(row: OutgoingEmail) -> EmailMultiAlternatives:
    content = row.content
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=content["body"],
        from_email=content["from_email"],
        to=[content["to"]],
        reply_to=content["reply_to"],
        headers=content["headers"],
    )
    for body, mimetype in content["alternatives"]:
        message.attach_alternative(body, mimetype)
    for part in content["attachments"]:
        message.attach(part["filename"], base64.b64decode(part["content"]), part["mimetype"])
    for item in Attachment.objects.filter(pk__in=content.get("attachment_ids") or []).order_by("pk"):
        with item.file.open("rb") as file:
            message.attach(item.filename, file.read(), item.content_type)
    return message


def claim_next() -> OutgoingEmail | None:
    """Take the oldest row that is due (or stale), counting the attempt before sending."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
                | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
            )
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if row is None:
            return None
        row.status = OutgoingEmail.Status.SENDING
        row.claimed_at = now
        row.attempts += 1
        row.save(update_fields=["status", "claimed_at", "attempts"])
    return row


def _still_ours(row: OutgoingEmail):
    return OutgoingEmail.objects.filter(pk=row.pk, status=OutgoingEmail.Status.SENDING, claimed_at=row.claimed_at)


def send_one(row: OutgoingEmail, connection) -> str:
    """Send one claimed row; returns its new status."""
    if not still_may_email(row.content.get("guard")):
        _still_ours(row).update(status=OutgoingEmail.Status.SKIPPED, last_error="No longer allowed to read it.")
        return OutgoingEmail.Status.SKIPPED
    try:
        connection.send_messages([as_message(row)])
    except Exception as error:  # the mail server refused or is gone: retry later
        now = timezone.now()
        error_text = f"{type(error).__name__}: {error}"[:500]
        if now - row.created_at >= GIVE_UP_AFTER:
            _still_ours(row).update(status=OutgoingEmail.Status.FAILED, last_error=error_text)
            _report_failure(row, error_text)
            return OutgoingEmail.Status.FAILED
        logger.warning("Email %s refused (attempt %s), retrying later: %s", row.pk, row.attempts, error_text)
        _still_ours(row).update(
            status=OutgoingEmail.Status.QUEUED, next_attempt_at=now + retry_delay(row.attempts), last_error=error_text
        )
        return OutgoingEmail.Status.QUEUED
    _still_ours(row).update(status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), last_error="")
    return OutgoingEmail.Status.SENT


def _report_failure(row: OutgoingEmail, error_text: str) -> None:
    """Never silent: logged as an error, and site admins get an email (queued like any
    other, so it arrives once the mail server is back)."""
    logger.error("Email %s to %s failed for good after %s attempts: %s", row.pk, row.to, row.attempts, error_text)
    admins = list(site_admins().exclude(email="").values_list("email", flat=True))
    if not admins:
        return
    body = (
        f"CommsNet could not send an email for {GIVE_UP_AFTER.days} days and has stopped trying.\n\n"
        f"To: {row.to}\nSubject: {row.subject}\nAttempts: {row.attempts}\nLast error: {error_text}\n\n"
        "Check the mail server. The email is listed as failed under Outgoing emails in the admin.\n"
    )
    EmailMultiAlternatives(subject="CommsNet: an email could not be sent", body=body, to=admins).send()


def send_due(*, limit: int = 500) -> int:
    """Send rows that are due until none are left (or `limit`); returns how many were sent.
    One connection serves the batch; a refusal ends it, as the server is likely down."""
    sent = 0
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    try:
        for _ in range(limit):
            row = claim_next()
            if row is None:
                break
            status = send_one(row, connection)
            if status == OutgoingEmail.Status.SENT:
                sent += 1
            elif status == OutgoingEmail.Status.QUEUED:
                break
    finally:
        try:
            connection.close()
        except Exception:  # closing a connection to a server that has gone is not an error
            logger.debug("Closing the mail connection failed", exc_info=True)
    return sent


def next_due_at():
    """When the earliest waiting row falls due (or a sending row goes stale), or None."""
    queued = (
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    sending = (
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING)
        .order_by("claimed_at")
        .values_list("claimed_at", flat=True)
        .first()
    )
    candidates = [queued, sending + STALE_AFTER if sending else None]
    return min((when for when in candidates if when is not None), default=None)


def schedule_next_run() -> None:
    """Wake a worker when the earliest waiting row falls due, unless a run is already
    planned by then (an outage must not pile up one planned run per email)."""
    due = next_due_at()
    if due is None or not send_outgoing_email.get_backend().supports_defer:
        return
    if not _planned_runs().filter(Q(run_after__lte=due) | Q(run_after=get_date_max())).exists():
        send_outgoing_email.using(run_after=max(due, timezone.now())).enqueue()


def forget_finished(now=None) -> int:
    """Rows sent, skipped or failed more than KEEP_FINISHED ago go: the outbox is for
    delivery and a month of support questions, not an archive of everyone's mail."""
    before = (now or timezone.now()) - KEEP_FINISHED
    finished = [OutgoingEmail.Status.SENT, OutgoingEmail.Status.SKIPPED, OutgoingEmail.Status.FAILED]
    deleted, _ = OutgoingEmail.objects.filter(status__in=finished, created_at__lt=before).delete()
    return deleted


@task()
def send_outgoing_email() -> int:
    """Send what is due, then plan the next run for anything still waiting."""
    sent = send_due()
    schedule_next_run()
    return sent


@task()
def forget_finished_email() -> int:
    """The worker's sweep (WORKER_SWEEP_TASKS) runs this every few minutes."""
    return forget_finished()
