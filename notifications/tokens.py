"""Signed tokens for email: reply-by-email addresses and one-click unsubscribe links.

A reply address must fit in an email local part (64 characters) and survive mail
servers that change its case, so it is base36 numbers and a lowercase base32 HMAC
rather than a django.core.signing value. Only a valid token grants anything:
threading headers never do.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from notifications.models import ReplyTokenVersion

REPLY_SALT = "notifications.reply-address"
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
EPOCH_DAY = 20000  # days since 1970; keeps the issued-day number short


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _today() -> int:
    return (timezone.now().date() - timezone.datetime(1970, 1, 1).date()).days - EPOCH_DAY


def _signature(payload: str) -> str:
    digest = salted_hmac(REPLY_SALT, payload, algorithm="sha256").digest()[:10]
    return base64.b32encode(digest).decode().lower()


@dataclass(frozen=True)
class ReplyToken:
    user_id: int
    thread_id: int
    post_id: int
    version: int
    issued_day: int


def token_version(user) -> int:
    row = ReplyTokenVersion.objects.filter(user=user).only("version").first()
    return row.version if row else 1


def make_reply_token(*, user, thread_id: int, post_id: int, version: int | None = None) -> str:
    version = token_version(user) if version is None else version
    payload = ".".join(_b36(n) for n in (user.pk, thread_id, post_id, version, max(_today(), 0)))
    return f"{payload}.{_signature(payload)}"


def reply_address(*, user, thread_id: int, post_id: int, version: int | None = None) -> str:
    token = make_reply_token(user=user, thread_id=thread_id, post_id=post_id, version=version)
    return f"reply+{token}@{settings.REPLY_DOMAIN}"


class BadToken(Exception):
    """The token is malformed, forged, expired or revoked; the message says which, politely."""


def read_reply_token(token: str) -> ReplyToken:
    """Check the signature (in constant time), expiry and version; raise BadToken."""
    token = token.strip().lower()
    parts = token.split(".")
    if len(parts) != 6:
        raise BadToken("The reply address was not one we recognise.")
    payload, signature = ".".join(parts[:5]), parts[5]
    if not constant_time_compare(signature, _signature(payload)):
        raise BadToken("The reply address was not one we recognise.")
    try:
        user_id, thread_id, post_id, version, issued_day = (int(part, 36) for part in parts[:5])
    except ValueError as error:
        raise BadToken("The reply address was not one we recognise.") from error
    if _today() - issued_day > settings.REPLY_TOKEN_MAX_AGE_DAYS:
        raise BadToken("The reply address has expired, because the email you replied to is too old.")
    return ReplyToken(user_id, thread_id, post_id, version, issued_day)


class UnsubscribeScope(NamedTuple):
    """What one unsubscribe link stops: email from communities (a post, a digest), about
    a thread (a post), or of one kind of notification."""

    user_id: int
    community_ids: list[int]
    kind: str = ""
    thread_id: int | None = None
    # An EmailOptOut kind: stops only that email (from `community_ids`, if any).
    opt_out: str = ""


def make_unsubscribe_token(
    *, user_id: int, community_ids=(), kind: str = "", thread_id: int | None = None, opt_out: str = ""
) -> str:
    data = {"u": user_id, "c": sorted(community_ids)}
    if kind:
        data["k"] = kind
    if opt_out:
        data["o"] = opt_out
    if thread_id:
        data["t"] = thread_id
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> UnsubscribeScope | None:
    """The scope, or None when the token is not ours. Unsubscribe links do not expire:
    an old digest's link must still work."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        thread_id = int(data["t"]) if data.get("t") else None
        return UnsubscribeScope(
            int(data["u"]), [int(pk) for pk in data["c"]], str(data.get("k", "")), thread_id, str(data.get("o", ""))
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None


def content_key(raw: bytes) -> str:
    """Stands in for a missing Message-ID, so a re-delivered message is still one message."""
    return "<sha256-" + hashlib.sha256(raw).hexdigest() + "@no-message-id>"
