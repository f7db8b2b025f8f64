"""Email in: replies by email and new threads by email.

Both the MTA pipe (`manage.py receive_email`) and providers' webhooks (through
django-anymail) call `receive(message)`. Only a valid signed token grants anything
(threading headers never do); the member's reply goes through the same service
and rules as the web; and a Message-ID is processed once, enforced by a unique
constraint.

The From header proves nothing by itself (notifications.authresults): a new thread
needs a DMARC, or aligned SPF or DKIM, pass recorded by our own server, and a reply
must come from one of the token member's verified addresses. Otherwise the message
is held and the member asked to confirm it (notifications.inbound_holds). A refused
message gets a polite explanation only when its sender authenticated, a few a day at
most, so a forged From never makes us mail a stranger."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
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
    accepts_email_posts,
    can_view_community,
    can_view_post,
    can_view_thread,
)
from core.text import one_line
from forums.attachments import MAX_ATTACHMENTS_PER_POST, check_uploads
from forums.forms import MAX_BODY, ThreadForm
from forums.models import Post, Thread
from forums.services import PostingRefused, post_reply, reply_refusal, thread_start, thread_start_refusal
from members.models import User
from notifications.authresults import FAIL, PASS, verdict
from notifications.chain_split import is_forward, split_message
from notifications.models import HeldInboundMessage, InboundMessage
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
ARCHIVED = "{} has been archived, so it is not taking new posts."
MAX_TITLE = ThreadForm.base_fields["title"].max_length
HOLD_FOR = timedelta(days=7)  # how long a held message waits for its member's confirmation
HOLDS_PER_DAY = 10  # confirmation requests to one member
BOUNCES_PER_DAY = 5  # to any one address, so we are never a source of a flood of mail
SUBJECT_ECHO_LENGTH = 60  # the most of a sender's subject a bounce repeats
SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv)\s*:\s*|\[[^\]]{1,100}\]\s*)+", re.I)


class Rejected(Exception):
    """Why a message was not posted, in words for the sender."""


@dataclass
class Outcome:
    status: str  # accepted, held, rejected or duplicate
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


def member_with_address(address: str) -> User | None:
    """The active member for whom this is a verified address."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(email__iexact=address, verified=True).select_related("user").first()
    return verified.user if verified and verified.user.is_active else None


def _sender_is(user: User, address: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def _confirmation_address(user: User) -> str | None:
    """Where a held message's confirmation goes: the member's primary verified address."""
    from allauth.account.models import EmailAddress

    row = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    return row.email if row else None


def checked_attachments(message: Message) -> list:
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


@dataclass
class Draft:
    """What an email asks to post, once we know who it is for and what it says.
    `trusted` is False when we cannot be sure the member sent it: then it is held."""

    user: User
    community: Community
    body: str
    trusted: bool
    thread: Thread | None = None  # a reply's thread; None for a new thread
    parent: Post | None = None
    title: str = ""
    # A forwarded reply-all chain (notifications.chain_split): previewed, never posted as is.
    chain: list | None = None


def _bounce(refusal: PostingRefused, community: Community, *, new_thread: bool) -> str:
    """What a refused email is told: the forum services' reason, in the email's words."""
    R = PostingRefused.Reason
    if refusal.reason == R.BLOCKED:  # a mute or a rate limit: the same sentence as the web
        return refusal.message
    if refusal.reason == R.ARCHIVED:
        return ARCHIVED.format(community.name)
    if new_thread:
        if refusal.reason == R.CANNOT_SEE:
            return UNRECOGNISED_ADDRESS
        return f"Only members of {community.name} can start conversations by email."
    if refusal.reason == R.CANNOT_SEE:
        return "The conversation you replied to is no longer available to you."
    if refusal.reason == R.LOCKED:
        return "The conversation is locked, so it is not taking new replies."
    return f"You cannot post in {community.name} at the moment."


def check_draft(draft: Draft) -> None:
    """The forum services' rules (the web's), asked when an email arrives and again when
    a held one is confirmed, so a refusal bounces before anything is held; then email's own."""
    user, community = draft.user, draft.community
    if draft.thread is None:
        refusal = thread_start_refusal(community=community, author=user)
        early = refusal is not None and refusal.reason in (
            PostingRefused.Reason.CANNOT_SEE,
            PostingRefused.Reason.ARCHIVED,
        )
        if early:
            raise Rejected(_bounce(refusal, community, new_thread=True))
        if not accepts_email_posts(community):
            raise Rejected(f"{community.name} does not take new conversations by email. Start one on the site.")
    else:
        # The parent is not asked about: an unavailable one means replying to the thread.
        refusal = reply_refusal(thread=draft.thread, author=user)
    if refusal is not None:
        raise Rejected(_bounce(refusal, community, new_thread=draft.thread is None))
    if len(draft.body) > MAX_BODY:
        raise Rejected(
            f"Your message was {len(draft.body):,} characters long. Posts can be up to {MAX_BODY:,} characters, "
            "so shorten it and send it again, or post it on the site."
        )


def publish_draft(draft: Draft, message: Message) -> Post:
    """Post through the same forum services as the web, after the same checks."""
    check_draft(draft)
    attachments = checked_attachments(message)
    parent = draft.parent
    if parent is not None and (parent.status != Post.Status.PUBLISHED or not can_view_post(draft.user, parent)):
        parent = None
    try:
        if draft.thread is None:
            fields = {"title": draft.title, "body": draft.body, "attachments": attachments}
            thread = thread_start(community=draft.community, author=draft.user, **fields)
            return Post.objects.get(thread=thread, parent__isnull=True)
        return post_reply(
            thread=draft.thread, author=draft.user, body=draft.body, parent=parent, attachments=attachments
        )
    except PostingRefused as refusal:  # the rules changed since check_draft (a lock, a mute)
        raise Rejected(_bounce(refusal, draft.community, new_thread=draft.thread is None)) from refusal


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
    trusted = _sender_is(user, sender) and checked != FAIL
    parent = _parent(message, thread, user, data.post_id)
    return Draft(user=user, community=thread.community, body=body, trusted=trusted, thread=thread, parent=parent)


def _start_chain(draft: Draft) -> None:
    """The chain becomes an unpublished thread, and the member is asked, at their own
    verified address, to preview and publish it. Like a held message, nothing is posted
    until they act while signed in; a forward our server could not check says so."""
    # notifications.chain_services runs the archive import, which uses this module.
    from notifications.chain_services import chain_import_start

    check_draft(draft)
    confirm_to = _confirmation_address(draft.user)
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
    from notifications.services import unsubscribe

    token = str(message.get("Subject", "")).strip().removeprefix("unsubscribe").strip()
    if not token or unsubscribe(token=token) is None:
        raise Rejected("We could not tell which emails to stop. Use the link at the bottom of any email instead.")


def _route(message: Message, sender: str, checked: str) -> Draft | None:
    """What the message asks for; None when there is nothing to post (an unsubscribe)."""
    if _is_automatic(message):
        # Out-of-office replies and bounces are never posted (nor answered).
        raise Rejected("It was an automatic reply.")
    for address in _addresses(message):
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
    confirm_to = _confirmation_address(draft.user)
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


def _message_id(message: Message, raw: bytes) -> str:
    value = str(message.get("Message-ID", "")).strip()
    if value and len(value) <= 500:
        return value
    return content_key(raw)


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
    message_id = _message_id(message, raw)
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
            if checked == PASS and not _is_automatic(message) and _may_bounce(sender):
                transaction.on_commit(lambda: _queue_bounce(record.pk))
            logger.info("Inbound message rejected: %s", record.reason)
            return Outcome(InboundMessage.Status.REJECTED, record.reason)
        record.status = status
        record.save(update_fields=["status", "user", "post"])
        return Outcome(status, post=record.post)


def _may_bounce(address: str) -> bool:
    since = timezone.now() - timedelta(days=1)
    return InboundMessage.objects.filter(sender=address, bounce_sent_at__gte=since).count() < BOUNCES_PER_DAY


def short_subject(value, length: int = SUBJECT_ECHO_LENGTH) -> str:
    """A subject safe to store or repeat: one line, no control characters, cut short."""
    text = "".join(c if c.isprintable() else " " for c in str(value))
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _queue_confirmation(held_id: int) -> None:
    from notifications.tasks import send_hold_confirmation

    send_hold_confirmation.enqueue(held_id)


def _queue_chain_ready(batch_id: int, to: str, checked: bool) -> None:
    from notifications.tasks import send_chain_ready

    send_chain_ready.enqueue(batch_id, to, checked)


def _queue_bounce(inbound_id: int) -> None:
    from notifications.tasks import send_bounce

    send_bounce.enqueue(inbound_id)


@transaction.atomic  # the claim and the queued bounce commit together (notifications.outbox)
def bounce_send(*, inbound_id: int) -> bool:
    """Tell the sender politely why their message was not posted. Claimed with a
    conditional update first, so a bounce goes at most once."""
    record = InboundMessage.objects.filter(pk=inbound_id).first()
    # An erased member's rows have no sender left (members/erasure.py): nothing to answer.
    if record is None or not record.sender or not _may_bounce(record.sender):
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


def anymail_inbound_received(sender, event, esp_name, **kwargs) -> None:
    """django-anymail's inbound signal (a third-party seam): hand the message over."""
    try:
        receive(event.message)
    except PermissionDenied:
        logger.warning("Inbound message from %s refused", esp_name)
