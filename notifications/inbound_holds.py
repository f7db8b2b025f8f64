"""Held email: a message we could not be sure the member sent waits until they
confirm it from a link sent to their own verified address.

The link carries a signed token (it expires with the hold); posting deletes the hold,
so a link works once. Posting re-checks the web's rules at that moment."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from forums.models import Post
from notifications.inbound_posting import Draft, publish_draft
from notifications.inbound_reading import Rejected, short_subject
from notifications.models import HeldInboundMessage, InboundMessage

HOLD_FOR = timedelta(days=7)  # how long a held message waits for its member's confirmation
CONFIRM_SALT = "notifications.held-email"


def confirmation_token(held: HeldInboundMessage) -> str:
    # The Message-ID ties the token to this message, not just to a row number.
    return signing.dumps({"h": held.pk, "m": held.inbound.message_id[-40:]}, salt=CONFIRM_SALT, compress=True)


def held_for_token(token: str) -> HeldInboundMessage | None:
    """The hold a link confirms, or None when the link is not ours, expired or used."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=HOLD_FOR)
        pk, message_id = int(data["h"]), str(data["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    held = (
        HeldInboundMessage.objects.select_related("inbound", "user", "community", "thread", "parent")
        .filter(pk=pk, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if held is None or held.inbound.message_id[-40:] != message_id:
        return None
    return held


def held_confirm(*, held: HeldInboundMessage) -> Post:
    """Post a held message as its member confirmed it; raises Rejected when the rules
    now refuse it (the hold stays, so the page can say why)."""
    with transaction.atomic():
        # Two clicks at once: the second waits here, then finds the hold gone.
        locked = HeldInboundMessage.objects.select_for_update().filter(pk=held.pk).first()
        if locked is None:
            raise Rejected("This email has already been posted.")
        draft = Draft(
            user=held.user,
            community=held.community,
            body=held.body,
            trusted=True,
            thread=held.thread,
            parent=held.parent,
            title=held.title,
        )
        message = email.message_from_bytes(bytes(held.raw), policy=policy.default)
        try:
            with transaction.atomic():
                post = publish_draft(draft, message)
        except PermissionDenied as error:
            raise Rejected("You cannot post there at the moment.") from error
        except ValidationError as error:
            raise Rejected(" ".join(error.messages)) from error
        InboundMessage.objects.filter(pk=held.inbound_id).update(
            status=InboundMessage.Status.ACCEPTED, post=post, reason=""
        )
        locked.delete()
    return post


@transaction.atomic
def confirmation_send(*, held_id: int) -> bool:
    """Ask the member to confirm; claimed with a conditional update in the same
    transaction that queues the email (notifications.outbox), so it goes once, and a
    failure before it is queued leaves it to be sent again."""
    claimed = HeldInboundMessage.objects.filter(pk=held_id, confirmation_sent_at__isnull=True).update(
        confirmation_sent_at=timezone.now()
    )
    if not claimed:
        return False
    held = HeldInboundMessage.objects.select_related("inbound", "user", "community", "thread").get(pk=held_id)
    what = held.title if held.thread is None else held.thread.title
    context = {
        "held": held,
        "recipient": held.user,
        "what": short_subject(what, 200),
        "url": settings.SITE_URL + reverse("email_held_confirm", args=[confirmation_token(held)]),
        "expires_at": held.expires_at,
        "SITE_URL": settings.SITE_URL,
        "feedback_email": settings.FEEDBACK_EMAIL,
        "settings_url": settings.SITE_URL + "/settings/email/",
    }
    message = EmailMultiAlternatives(
        subject="Confirm your email to CommsNet before it is posted",
        body=render_to_string("emails/held_confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[held.confirm_to],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("emails/held_confirm.html", context), "text/html")
    message.send()
    return True
