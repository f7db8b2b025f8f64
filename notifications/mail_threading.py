"""Headers that keep a thread's emails in one conversation in every mail client.

Gmail, Apple Mail and Thunderbird thread by Message-ID, In-Reply-To and References
(and Gmail also by subject); Outlook groups by Thread-Index and Thread-Topic. Each
post's email carries all of them, worked out from the stored tree (the sort path
holds each ancestor's id), so every message of a thread agrees.
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

from django.conf import settings

from forums.models import Post, Thread

# Mail clients trim long References; keep the opening post and the nearest ancestors
# (RFC 5322 3.6.4 asks for the first and the most recent), as Thunderbird does.
MAX_REFERENCES = 10
FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def post_message_id(post_id: int) -> str:
    return f"<post-{post_id}@{settings.POST_DOMAIN}>"


def ancestor_ids(post: Post) -> list[int]:
    """The post's ancestors, opening post first, parent last."""
    if not post.sort_path:
        return [] if post.parent_id is None else [post.parent_id]
    return [int(part) for part in post.sort_path.split(".")[:-1]]


def references(ancestors: list[int]) -> str:
    kept = ancestors if len(ancestors) <= MAX_REFERENCES else [ancestors[0], *ancestors[-(MAX_REFERENCES - 1) :]]
    return " ".join(post_message_id(pk) for pk in kept)


def _filetime(moment: datetime) -> int:
    """100-nanosecond intervals since 1601, as Windows counts time."""
    delta = moment.astimezone(UTC) - FILETIME_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def _child_block(delta: int, post_id: int) -> bytes:
    """Five bytes per reply level (MS-OXOMSG 2.2.1.3): a time delta code, 31 bits of
    the delta, and 8 bits that make siblings differ (ours come from the post's id)."""
    delta = max(delta, 0)
    fits = delta >> 49 == 0  # else the code bit says the delta is in coarser units
    bits = (delta >> 18) & 0x7FFFFFFF if fits else (1 << 31) | ((delta >> 23) & 0x7FFFFFFF)
    return ((bits << 8) | (post_id & 0xFF)).to_bytes(5, "big")


def thread_index(thread: Thread, chain: list[tuple[int, datetime]]) -> str:
    """Outlook's conversation index: the thread's 22-byte header (its start time and a
    GUID of its own), then a block for each reply level down to this post. `chain` is
    the (id, created_at) of each reply from the first level to this post."""
    started = _filetime(thread.created_at)
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/threads/{thread.pk}/").bytes
    index = (started >> 16).to_bytes(8, "big")[2:] + guid
    previous = started
    for post_id, created_at in chain:
        moment = _filetime(created_at)
        index += _child_block(moment - previous, post_id)
        previous = moment
    return base64.b64encode(index).decode()


def threading_headers(post: Post) -> dict[str, str]:
    """Message-ID, and for a reply In-Reply-To and References; Thread-Topic and
    Thread-Index for Outlook. One query, for the ancestors' dates."""
    thread = post.thread
    ancestors = ancestor_ids(post)
    headers = {"Message-ID": post_message_id(post.pk), "Thread-Topic": thread.title}
    chain = []
    if ancestors:
        headers["In-Reply-To"] = post_message_id(post.parent_id)
        headers["References"] = references(ancestors)
        dates = dict(Post.objects.filter(pk__in=ancestors[1:]).values_list("pk", "created_at"))
        chain = [(pk, dates[pk]) for pk in ancestors[1:] if pk in dates] + [(post.pk, post.created_at)]
    headers["Thread-Index"] = thread_index(thread, chain)
    return headers


def subject(community_name: str, thread: Thread, *, is_reply: bool) -> str:
    """'[Community] Title', and 'Re: [Community] Title' for replies: the form Outlook and
    Gmail strip back to one conversation, and the one people's own replies take."""
    return f"{'Re: ' if is_reply else ''}[{community_name}] {thread.title}"
