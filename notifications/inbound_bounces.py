"""Telling a sender why their email was not posted: a few a day to any address at most,
and once per message (the claim below)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.text import one_line
from notifications.inbound_reading import short_subject
from notifications.models import InboundMessage

BOUNCES_PER_DAY = 5  # to any one address, so we are never a source of a flood of mail


def may_bounce(address: str) -> bool:
    since = timezone.now() - timedelta(days=1)
    return InboundMessage.objects.filter(sender=address, bounce_sent_at__gte=since).count() < BOUNCES_PER_DAY


@transaction.atomic  # the claim and the queued bounce commit together (notifications.outbox)
def bounce_send(*, inbound_id: int) -> bool:
    """Tell the sender politely why their message was not posted. Claimed with a
    conditional update first, so a bounce goes at most once."""
    record = InboundMessage.objects.filter(pk=inbound_id).first()
    # An erased member's rows have no sender left (members/erasure.py): nothing to answer.
    if record is None or not record.sender or not may_bounce(record.sender):
        return False
    claimed = InboundMessage.objects.filter(
        pk=inbound_id, status=InboundMessage.Status.REJECTED, bounce_sent_at__isnull=True
    ).update(bounce_sent_at=timezone.now())
    if not claimed:
        return False
    subject = short_subject(record.subject)
    context = {
        "reason": record.reason,
        "subject": subject,
        "SITE_URL": settings.SITE_URL,
        "feedback_email": settings.FEEDBACK_EMAIL,
        "settings_url": settings.SITE_URL + "/settings/email/",
    }
    message = EmailMultiAlternatives(
        subject=one_line(f"Not posted: {subject}") if subject else "Your email was not posted",
        body=render_to_string("emails/bounce.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[record.sender],
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": one_line(record.message_id)},
    )
    message.attach_alternative(render_to_string("emails/bounce.html", context), "text/html")
    message.send()
    return True
