"""Reading an arriving email: who it is addressed to and from, whether it is automatic
mail, its attachments (checked as the web form checks uploads) and its subject. Shared
by email in (notifications/inbound.py) and the archive import."""

from __future__ import annotations

import re
from email.message import Message
from email.utils import getaddresses, parseaddr

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from forums.attachments import MAX_ATTACHMENTS_PER_POST, check_uploads
from forums.forms import ThreadForm
from members.models import User
from notifications.tokens import content_key

REPLY_LOCAL = re.compile(r"^reply\+(?P<token>[a-z0-9.]+)$", re.I)
POST_MESSAGE_ID = re.compile(r"<post-(?P<pk>\d{1,18})@(?P<domain>[^>]+)>")
MAX_TITLE = ThreadForm.base_fields["title"].max_length
SUBJECT_ECHO_LENGTH = 60  # the most of a sender's subject a bounce repeats
SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv)\s*:\s*|\[[^\]]{1,100}\]\s*)+", re.I)


class Rejected(Exception):
    """Why a message was not posted, in words for the sender."""


def recipient_addresses(message: Message) -> list[str]:
    values = []
    for header in ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc"):
        values.extend(str(v) for v in (message.get_all(header) or []))
    envelope = getattr(message, "envelope_recipient", None)
    found = [envelope] if envelope else []
    found += [address for _, address in getaddresses(values) if address]
    return [a.strip().lower() for a in found]


def is_automatic(message: Message) -> bool:
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
    verified = EmailAddress.objects.filter(email__iexact=address, verified=True).select_related("user").first()
    return verified.user if verified and verified.user.is_active else None


def sender_is(user: User, address: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def confirmation_address(user: User) -> str | None:
    """Where a held message's confirmation goes: the member's primary verified address."""
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


def message_id_of(message: Message, raw: bytes) -> str:
    value = str(message.get("Message-ID", "")).strip()
    if value and len(value) <= 500:
        return value
    return content_key(raw)


def short_subject(value, length: int = SUBJECT_ECHO_LENGTH) -> str:
    """A subject safe to store or repeat: one line, no control characters, cut short."""
    text = "".join(c if c.isprintable() else " " for c in str(value))
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
