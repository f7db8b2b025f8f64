"""Turning notification deliveries into email, exactly once: each row is claimed on its
own, its message built at send time and handed to the outbox in the transaction that
marks it sent (docs/email.md, "Deliveries, exactly once")."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.emails import build_message
from notifications.facilitator_weekly import facilitator_weekly_message
from notifications.highlights import announcement_message, highlights_message
from notifications.models import EmailDelivery

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 3
# Emails that are neither posts, notifications nor digests, each built by its own module.
OCCASIONAL_BUILDERS = {
    EmailDelivery.Kind.FACILITATOR_WEEKLY: facilitator_weekly_message,
    EmailDelivery.Kind.HIGHLIGHTS: highlights_message,
    EmailDelivery.Kind.ANNOUNCEMENT: announcement_message,
}


def claim_next() -> EmailDelivery | None:
    """Take the oldest queued (or stale) delivery, or None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=EmailDelivery.Status.QUEUED)
                | Q(status=EmailDelivery.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
            )
            .order_by("created_at", "pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.status = EmailDelivery.Status.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
    return delivery


class ClaimLost(Exception):
    """Another worker reclaimed the row while this one built it (over STALE_AFTER)."""


def _finish(delivery: EmailDelivery, status: str, error: str = "") -> int:
    # Only the claim that is still ours may finish the row.
    return EmailDelivery.objects.filter(
        pk=delivery.pk, status=EmailDelivery.Status.SENDING, claimed_at=delivery.claimed_at
    ).update(
        status=status,
        sent_at=timezone.now() if status == EmailDelivery.Status.SENT else None,
        last_error=error[:500],
    )


def deliver(delivery: EmailDelivery) -> str:
    """Send one claimed delivery; returns its final status."""
    if delivery.attempts > MAX_ATTEMPTS:
        _finish(delivery, EmailDelivery.Status.FAILED, f"Gave up after {MAX_ATTEMPTS} attempts.")
        return EmailDelivery.Status.FAILED
    message = OCCASIONAL_BUILDERS.get(delivery.kind, build_message)(delivery)
    if message is None:
        # Permissions are checked at send time: no longer allowed, or nothing to say.
        _finish(delivery, EmailDelivery.Status.SKIPPED)
        return EmailDelivery.Status.SKIPPED
    try:
        with transaction.atomic():
            message.send()
            if not _finish(delivery, EmailDelivery.Status.SENT):
                raise ClaimLost  # the other worker hands it over; ours is rolled back
    except ClaimLost:
        logger.warning("Email delivery %s was reclaimed while being built; left to the other worker", delivery.pk)
        return EmailDelivery.Status.SENDING
    except Exception as error:  # the hand-over failed: try again later, up to MAX_ATTEMPTS
        logger.warning("Email delivery %s failed: %s", delivery.pk, type(error).__name__)
        retry = delivery.attempts < MAX_ATTEMPTS
        _finish(delivery, EmailDelivery.Status.QUEUED if retry else EmailDelivery.Status.FAILED, str(error))
        return EmailDelivery.Status.QUEUED if retry else EmailDelivery.Status.FAILED
    return EmailDelivery.Status.SENT


def deliver_pending(*, limit: int = 500) -> int:
    """Send queued deliveries until none are left (or `limit`); returns how many were sent."""
    sent = 0
    for _ in range(limit):
        delivery = claim_next()
        if delivery is None:
            break
        status = deliver(delivery)
        if status == EmailDelivery.Status.SENT:
            sent += 1
        elif status == EmailDelivery.Status.QUEUED:
            break  # the mail server refused: leave the rest for the next run
    return sent
