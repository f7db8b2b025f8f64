"""Email in: replies and new threads by email, from the MTA pipe (`manage.py receive_email`)
and providers' webhooks alike, through `receive(message)`. Only a signed token grants a
thread (threading headers never do), and a reply goes through the web's services and
rules. The path and its trust model: docs/architecture.md, "The path of an email in"."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from email.utils import parseaddr

from anymail.webhooks.brevo import BrevoInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_view_community, can_view_thread
from forums.models import Post, Thread
from members.models import User
from notifications import tasks
from notifications.authresults import FAIL, PASS, verdict
from notifications.chain_services import chain_import_start
from notifications.chain_split import is_forward, split_message
from notifications.inbound_bounces import may_bounce
from notifications.inbound_holds import HOLD_FOR
from notifications.inbound_posting import UNRECOGNISED_ADDRESS, Draft, check_draft, parent_post, publish_draft
from notifications.inbound_reading import (
    MAX_TITLE,
    REPLY_LOCAL,
    SUBJECT_PREFIX,
    Rejected,
    checked_attachments,
    confirmation_address,
    is_automatic,
    member_with_address,
    message_id_of,
    recipient_addresses,
    sender_is,
    short_subject,
)
from notifications.models import HeldInboundMessage, InboundMessage
from notifications.parsing import reply_text
from notifications.services import unsubscribe
from notifications.tokens import BadToken, read_reply_token, token_version

logger = logging.getLogger(__name__)

# Providers whose inbound webhooks authenticate with ANYMAIL_WEBHOOK_SECRET (basic auth).
INBOUND_VIEWS = {
    "postmark": PostmarkInboundWebhookView,
    "sendgrid": SendGridInboundWebhookView,
    "sparkpost": SparkPostInboundWebhookView,
    "mailjet": MailjetInboundWebhookView,
    "brevo": BrevoInboundWebhookView,
}
HOLDS_PER_DAY = 10  # confirmation requests to one member


@dataclass
class Outcome:
    status: str  # accepted, held, rejected or duplicate
    reason: str = ""
    post: Post | None = None


def _handle_reply(message: Message, token: str, sender: str, checked: str) -> Draft:
    try:
        data = read_reply_token(token)
    except BadToken as error:
        raise Rejected(str(error)) from error
    user = User.objects.filter(pk=data.user_id, is_active=True).first()
    if user is None or data.version != token_version(user):
        raise Rejected("The reply address no longer works. Reply from a newer email, or on the site.")
    thread = Thread.objects.select_related("community").filter(pk=data.thread_id).first()
    if thread is None or not can_view_thread(user, thread):
        raise Rejected("The conversation you replied to is no longer available to you.")
    body = reply_text(message)
    if not body:
        raise Rejected("We could not find any words of yours above the quoted email.")
    # The token is the member's, but it may have leaked with a forwarded email: a
    # different From, or a From our server found forged, waits for the member.
    trusted = sender_is(user, sender) and checked != FAIL
    parent = parent_post(message, thread, user, data.post_id)
    return Draft(user=user, community=thread.community, body=body, trusted=trusted, thread=thread, parent=parent)


def _start_chain(draft: Draft) -> None:
    """The chain becomes an unpublished thread, and the member is asked, at their own
    verified address, to preview and publish it. Like a held message, nothing is posted
    until they act while signed in; a forward our server could not check says so."""
    check_draft(draft)
    confirm_to = confirmation_address(draft.user)
    if confirm_to is None:
        raise Rejected(UNRECOGNISED_ADDRESS)
    batch = chain_import_start(community=draft.community, by=draft.user, messages=draft.chain, subject=draft.title)
    transaction.on_commit(lambda: _queue_chain_ready(batch.pk, confirm_to, draft.trusted))


def _handle_new_thread(message: Message, community: Community, sender: str, checked: str) -> Draft:
    user = member_with_address(sender)
    # A stranger learns nothing, not even that a community has this address.
    if user is None or not can_view_community(user, community):
        raise Rejected(UNRECOGNISED_ADDRESS)
    title = " ".join(SUBJECT_PREFIX.sub("", str(message.get("Subject", ""))).split())
    chain = split_message(message) if is_forward(message) else []
    if chain:
        return Draft(user=user, community=community, body="", trusted=checked == PASS, title=title, chain=chain)
    if not title:
        raise Rejected("Your email had no subject. The subject becomes the title of the conversation.")
    if len(title) > MAX_TITLE:
        raise Rejected(
            f"The subject becomes the title of the conversation, and titles can be up to {MAX_TITLE} "
            "characters. Shorten it and send your email again."
        )
    body = reply_text(message)
    if not body:
        raise Rejected("Your email had no message.")
    return Draft(user=user, community=community, body=body, trusted=checked == PASS, title=title)


def _unsubscribe_by_mail(message: Message) -> None:
    token = str(message.get("Subject", "")).strip().removeprefix("unsubscribe").strip()
    if not token or unsubscribe(token=token) is None:
        raise Rejected("We could not tell which emails to stop. Use the link at the bottom of any email instead.")


def _route(message: Message, sender: str, checked: str) -> Draft | None:
    """What the message asks for; None when there is nothing to post (an unsubscribe)."""
    if is_automatic(message):
        # Out-of-office replies and bounces are never posted (nor answered).
        raise Rejected("It was an automatic reply.")
    for address in recipient_addresses(message):
        local, _, domain = address.rpartition("@")
        if domain == settings.REPLY_DOMAIN.lower():
            if local == "unsubscribe":
                _unsubscribe_by_mail(message)
                return None
            match = REPLY_LOCAL.match(local)
            if match:
                return _handle_reply(message, match["token"], sender, checked)
        if domain == settings.POST_DOMAIN.lower():
            # Archived ones too, so their members hear why (check_draft refuses them).
            live = (Community.Status.ACTIVE, Community.Status.ARCHIVED)
            community = Community.objects.filter(slug=local, status__in=live).first()
            if community is not None:
                return _handle_new_thread(message, community, sender, checked)
    raise Rejected(UNRECOGNISED_ADDRESS)


def _hold(record: InboundMessage, draft: Draft, message: Message, raw: bytes) -> None:
    """Keep what the member may have sent and ask them, at their own verified address."""
    check_draft(draft)
    checked_attachments(message)  # refused files are refused now, not after the member confirms
    confirm_to = confirmation_address(draft.user)
    if confirm_to is None:
        raise Rejected(UNRECOGNISED_ADDRESS)
    now = timezone.now()
    # Forged mail in a member's name must not become a flood of confirmations to them.
    held_today = HeldInboundMessage.objects.filter(user=draft.user, created_at__gte=now - timedelta(days=1))
    if held_today.count() >= HOLDS_PER_DAY:
        raise Rejected("Too many of your emails are waiting for you to confirm them. Try again tomorrow.")
    held = HeldInboundMessage.objects.create(
        inbound=record,
        user=draft.user,
        kind=HeldInboundMessage.Kind.THREAD if draft.thread is None else HeldInboundMessage.Kind.REPLY,
        community=draft.community,
        thread=draft.thread,
        parent=draft.parent,
        title=draft.title,
        body=draft.body,
        raw=raw,
        confirm_to=confirm_to,
        created_at=now,
        expires_at=now + HOLD_FOR,
    )
    transaction.on_commit(lambda: _queue_confirmation(held.pk))


def _route_or_refuse(message: Message, sender: str, checked: str, record: InboundMessage, raw: bytes) -> str:
    """Post, hold or refuse; the forum services' own refusals are refusals here."""
    try:
        draft = _route(message, sender, checked)
        if draft is None:
            return InboundMessage.Status.ACCEPTED
        record.user = draft.user
        if draft.chain:
            _start_chain(draft)
            return InboundMessage.Status.ACCEPTED if draft.trusted else InboundMessage.Status.HELD
        if not draft.trusted:
            _hold(record, draft, message, raw)
            return InboundMessage.Status.HELD
        record.post = publish_draft(draft, message)
        return InboundMessage.Status.ACCEPTED
    except PermissionDenied as error:
        raise Rejected("You cannot post there at the moment.") from error
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from error


def holds_expire() -> int:
    """Holds nobody confirmed in time are dropped; their record says so."""
    expired = HeldInboundMessage.objects.filter(expires_at__lt=timezone.now())
    InboundMessage.objects.filter(held__in=expired).update(
        status=InboundMessage.Status.REJECTED, reason="Not confirmed in time."
    )
    return expired.delete()[0]


def receive(message: Message, raw: bytes | None = None) -> Outcome:
    """Process one inbound message; safe to call any number of times, concurrently."""
    raw = raw if raw is not None else message.as_bytes()
    message_id = message_id_of(message, raw)
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    checked = verdict(message)
    holds_expire()
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Concurrent deliveries of the same message wait here on the unique
                # index, then fail: only the first one goes on.
                record = InboundMessage.objects.create(
                    message_id=message_id,
                    sender=sender[:320],
                    subject=short_subject(message.get("Subject", ""), 300),
                    status=InboundMessage.Status.REJECTED,
                )
        except IntegrityError:
            return Outcome("duplicate")
        try:
            with transaction.atomic():
                status = _route_or_refuse(message, sender, checked, record, raw)
        except Rejected as error:
            record.reason = str(error)[:500]
            record.save(update_fields=["reason"])
            # No bounce to automatic mail (loops) or to senders we cannot be sure of
            # (backscatter to whoever a forged From names); at most a few a day each.
            if checked == PASS and not is_automatic(message) and may_bounce(sender):
                transaction.on_commit(lambda: _queue_bounce(record.pk))
            logger.info("Inbound message rejected: %s", record.reason)
            return Outcome(InboundMessage.Status.REJECTED, record.reason)
        record.status = status
        record.save(update_fields=["status", "user", "post"])
        return Outcome(status, post=record.post)


def _queue_confirmation(held_id: int) -> None:
    tasks.send_hold_confirmation.enqueue(held_id)


def _queue_chain_ready(batch_id: int, to: str, checked: bool) -> None:
    tasks.send_chain_ready.enqueue(batch_id, to, checked)


def _queue_bounce(inbound_id: int) -> None:
    tasks.send_bounce.enqueue(inbound_id)


def anymail_inbound_received(sender, event, esp_name, **kwargs) -> None:
    """django-anymail's inbound signal (a third-party seam): hand the message over."""
    try:
        receive(event.message)
    except PermissionDenied:
        logger.warning("Inbound message from %s refused", esp_name)
