"""Email in: replies by email and new threads by email.

Both the MTA pipe (`manage.py receive_email`) and providers' webhooks (through
django-anymail) call `receive(message)`. Only a valid signed token grants anything
(threading headers never do); the member's reply goes through the same service
and rules as the web; a rejected message gets a polite explanation by email; and
a Message-ID is processed once, enforced by a unique constraint."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses, parseaddr

from anymail.webhooks.brevo import BrevoInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from communities.models import Community
from communities.permissions import (
    can_post_in,
    can_reply,
    can_view_community,
    can_view_post,
    can_view_thread,
    is_banned,
)
from core.text import one_line
from forums.attachments import MAX_ATTACHMENTS_PER_POST, check_uploads
from forums.models import Post, Thread
from members.models import User
from notifications.models import InboundMessage
from notifications.parsing import reply_text
from notifications.tokens import BadToken, content_key, read_reply_token, token_version

logger = logging.getLogger(__name__)

# Providers whose inbound webhooks authenticate with ANYMAIL_WEBHOOK_SECRET (basic auth).
INBOUND_VIEWS = {
    "postmark": PostmarkInboundWebhookView,
    "sendgrid": SendGridInboundWebhookView,
    "sparkpost": SparkPostInboundWebhookView,
    "mailjet": MailjetInboundWebhookView,
    "brevo": BrevoInboundWebhookView,
}
REPLY_LOCAL = re.compile(r"^reply\+(?P<token>[a-z0-9.]+)$", re.I)
POST_MESSAGE_ID = re.compile(r"<post-(?P<pk>\d{1,18})@(?P<domain>[^>]+)>")
UNRECOGNISED_ADDRESS = "We did not recognise the address you sent it to."
SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw)\s*:\s*|\[[^\]]{1,100}\]\s*)+", re.I)


class Rejected(Exception):
    """Why a message was not posted, in words for the sender."""


@dataclass
class Outcome:
    status: str  # accepted, rejected or duplicate
    reason: str = ""
    post: Post | None = None


def _addresses(message: Message) -> list[str]:
    values = []
    for header in ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc"):
        values.extend(str(v) for v in (message.get_all(header) or []))
    envelope = getattr(message, "envelope_recipient", None)
    found = [envelope] if envelope else []
    found += [address for _, address in getaddresses(values) if address]
    return [a.strip().lower() for a in found]


def _is_automatic(message: Message) -> bool:
    """Auto-replies and bounces are never answered (that is how mail loops start)."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    return (
        auto != "no"
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or sender.startswith(("mailer-daemon@", "postmaster@"))
        or not sender
    )


def _sender_failed_authentication(message: Message) -> bool:
    """Our MTA or provider records SPF/DKIM/DMARC results; a failure means the From
    address cannot be trusted to say who sent it."""
    results = " ".join(str(v) for v in (message.get_all("Authentication-Results") or [])).lower()
    return "dmarc=fail" in results or ("spf=fail" in results and "dkim=pass" not in results)


def _user_with_address(address: str) -> User | None:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        return user
    verified = EmailAddress.objects.filter(email__iexact=address, verified=True).select_related("user").first()
    return verified.user if verified and verified.user.is_active else None


def _sender_is(user: User, address: str) -> bool:
    from allauth.account.models import EmailAddress

    if user.email.lower() == address:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def _attachments(message: Message) -> list:
    """Files attached to the message, checked by the same rules and limits as the web
    form (count, size, type by content, bounded unpacking). Inline images (logos in
    signatures) are not attachments."""
    parts = [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    if len(parts) > MAX_ATTACHMENTS_PER_POST:
        raise Rejected(f"Your email had more than {MAX_ATTACHMENTS_PER_POST} attachments.")
    uploads = [
        SimpleUploadedFile(
            part.get_filename() or "attachment", part.get_payload(decode=True) or b"", part.get_content_type()
        )
        for part in parts
    ]
    try:
        return check_uploads(uploads)
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from error


def _posting_blocked(user, community, action: str) -> str | None:
    from forums.policy import posting_blocked_reason

    return posting_blocked_reason(author=user, community=community, action=action)


def _parent(message: Message, thread: Thread, user, token_post_id: int) -> Post | None:
    """The post being answered: the one In-Reply-To names if it is in the token's
    thread (a member replying to a later email in the same conversation), else the
    token's post. The header only chooses within the thread the token grants."""
    candidates = [token_post_id]
    match = POST_MESSAGE_ID.search(str(message.get("In-Reply-To", "")))
    if match and match["domain"].lower() == settings.POST_DOMAIN.lower():
        candidates.insert(0, int(match["pk"]))
    for pk in candidates:
        post = Post.objects.filter(pk=pk, thread=thread, status=Post.Status.PUBLISHED).first()
        if post is not None and can_view_post(user, post):
            return post
    return None  # reply to the conversation instead


def _handle_reply(message: Message, token: str, sender: str) -> tuple[User, Post]:
    try:
        data = read_reply_token(token)
    except BadToken as error:
        raise Rejected(str(error)) from error
    user = User.objects.filter(pk=data.user_id, is_active=True).first()
    if user is None or data.version != token_version(user):
        raise Rejected("The reply address no longer works. Reply from a newer email, or on the site.")
    if not _sender_is(user, sender) or _sender_failed_authentication(message):
        raise Rejected("It came from a different address from the one we sent the email to.")
    thread = Thread.objects.select_related("community").filter(pk=data.thread_id).first()
    if thread is None or not can_view_thread(user, thread):
        raise Rejected("The conversation you replied to is no longer available to you.")
    if not can_reply(user, thread):
        if is_banned(user, thread.community) or not can_post_in(user, thread.community):
            raise Rejected(f"You cannot post in {thread.community.name} at the moment.")
        raise Rejected("The conversation is locked, so it is not taking new replies.")
    blocked = _posting_blocked(user, thread.community, "reply")
    if blocked:
        raise Rejected(blocked)
    body = reply_text(message)
    if not body:
        raise Rejected("We could not find any words of yours above the quoted email.")
    parent = _parent(message, thread, user, data.post_id)
    from forums.services import post_reply

    post = post_reply(thread=thread, author=user, body=body, parent=parent, attachments=_attachments(message))
    return user, post


def _handle_new_thread(message: Message, community: Community, sender: str) -> tuple[User, Post]:
    user = _user_with_address(sender)
    # A stranger learns nothing, not even that a community has this address.
    if user is None or _sender_failed_authentication(message) or not can_view_community(user, community):
        raise Rejected(UNRECOGNISED_ADDRESS)
    if not can_post_in(user, community):
        raise Rejected(f"Only members of {community.name} can start conversations by email.")
    blocked = _posting_blocked(user, community, "thread")
    if blocked:
        raise Rejected(blocked)
    title = SUBJECT_PREFIX.sub("", str(message.get("Subject", ""))).strip()[:200]
    if not title:
        raise Rejected("Your email had no subject. The subject becomes the title of the conversation.")
    body = reply_text(message)
    if not body:
        raise Rejected("Your email had no message.")
    from forums.services import thread_start

    thread = thread_start(community=community, author=user, title=title, body=body, attachments=_attachments(message))
    return user, Post.objects.get(thread=thread, parent__isnull=True)


def _unsubscribe_by_mail(message: Message) -> None:
    from notifications.services import unsubscribe

    token = str(message.get("Subject", "")).strip().removeprefix("unsubscribe").strip()
    if not token or unsubscribe(token=token) is None:
        raise Rejected("We could not tell which emails to stop. Use the link at the bottom of any email instead.")


def _route(message: Message, sender: str) -> tuple[User | None, Post | None]:
    if _is_automatic(message):
        # Out-of-office replies and bounces are never posted (nor answered).
        raise Rejected("It was an automatic reply.")
    for address in _addresses(message):
        local, _, domain = address.rpartition("@")
        if domain == settings.REPLY_DOMAIN.lower():
            if local == "unsubscribe":
                _unsubscribe_by_mail(message)
                return None, None
            match = REPLY_LOCAL.match(local)
            if match:
                return _handle_reply(message, match["token"], sender)
        if domain == settings.POST_DOMAIN.lower():
            community = Community.objects.filter(slug=local, status=Community.Status.ACTIVE).first()
            if community is not None:
                return _handle_new_thread(message, community, sender)
    raise Rejected(UNRECOGNISED_ADDRESS)


def _route_or_refuse(message: Message, sender: str) -> tuple[User | None, Post | None]:
    """The forum services enforce their own rules too; their refusals are refusals here."""
    try:
        return _route(message, sender)
    except PermissionDenied as error:
        raise Rejected("You cannot post there at the moment.") from error
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from error


def _message_id(message: Message, raw: bytes | None) -> str:
    value = str(message.get("Message-ID", "")).strip()
    if value and len(value) <= 500:
        return value
    return content_key(raw if raw is not None else message.as_bytes())


def receive(message: Message, raw: bytes | None = None) -> Outcome:
    """Process one inbound message; safe to call any number of times, concurrently."""
    message_id = _message_id(message, raw)
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Concurrent deliveries of the same message wait here on the unique
                # index, then fail: only the first one goes on.
                record = InboundMessage.objects.create(
                    message_id=message_id,
                    sender=sender[:320],
                    subject=str(message.get("Subject", ""))[:300],
                    status=InboundMessage.Status.REJECTED,
                )
        except IntegrityError:
            return Outcome("duplicate")
        try:
            with transaction.atomic():
                user, post = _route_or_refuse(message, sender)
        except Rejected as error:
            record.reason = str(error)[:500]
            record.save(update_fields=["reason"])
            # No bounce to automatic mail (loops) or to forged senders (backscatter).
            if not _is_automatic(message) and not _sender_failed_authentication(message):
                transaction.on_commit(lambda: _queue_bounce(record.pk))
            logger.info("Inbound message rejected: %s", record.reason)
            return Outcome(InboundMessage.Status.REJECTED, record.reason)
        record.status = InboundMessage.Status.ACCEPTED
        record.user, record.post = user, post
        record.save(update_fields=["status", "user", "post"])
        return Outcome(InboundMessage.Status.ACCEPTED, post=post)


def _queue_bounce(inbound_id: int) -> None:
    from notifications.tasks import send_bounce

    send_bounce.enqueue(inbound_id)


def bounce_send(*, inbound_id: int) -> bool:
    """Tell the sender politely why their message was not posted. Claimed with a
    conditional update first, so a bounce goes at most once."""
    # An erased member's rows have no sender left (members/erasure.py): nothing to answer.
    claimed = (
        InboundMessage.objects.filter(
            pk=inbound_id, status=InboundMessage.Status.REJECTED, bounce_sent_at__isnull=True
        )
        .exclude(sender="")
        .update(bounce_sent_at=timezone.now())
    )
    if not claimed:
        return False
    record = InboundMessage.objects.get(pk=inbound_id)
    context = {
        "reason": record.reason,
        "subject": record.subject,
        "SITE_URL": settings.SITE_URL,
        "feedback_email": settings.FEEDBACK_EMAIL,
        "settings_url": settings.SITE_URL + "/settings/email/",
    }
    message = EmailMultiAlternatives(
        subject=one_line(f"Not posted: {record.subject}") if record.subject else "Your email was not posted",
        body=render_to_string("emails/bounce.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[record.sender],
        headers={"Auto-Submitted": "auto-replied", "In-Reply-To": one_line(record.message_id)},
    )
    message.attach_alternative(render_to_string("emails/bounce.html", context), "text/html")
    message.send()
    return True


def anymail_inbound_received(sender, event, esp_name, **kwargs) -> None:
    """django-anymail's inbound signal (a third-party seam): hand the message over."""
    try:
        receive(event.message)
    except PermissionDenied:
        logger.warning("Inbound message from %s refused", esp_name)
