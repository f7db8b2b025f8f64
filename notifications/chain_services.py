"""A forwarded reply-all chain (by email to a community's posting address, or pasted on
the "Start from an email chain" page) becomes an import batch like an archive's: its
messages (notifications.chain_split) are written as a small zip of .eml files, one
replying to the one before, and the archive import stores them as one unpublished
thread, with the same cleaning, people and duplicate rules. The forwarder previews it
and publishes it; nothing is posted unseen."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_moderate, can_post_in
from forums.models import Post
from forums.policy import initial_post_status, posting_blocked_reason
from notifications.archive_import import import_run
from notifications.chain_split import ChainMessage, in_reply_order, split_text
from notifications.models import ArchiveImport

CHAIN_FILENAME = "Forwarded email chain"
CHAINS_PER_DAY = 10  # by one member: a forged or looping sender cannot flood a community's preview list
MAX_PASTE = 500_000  # characters on the paste page
NO_CHAIN = (
    "We could not find any emails in the chain. Forward the whole chain, with the "
    "From, Sent (or Date) and Subject lines of each email"
)


def may_start_chain(user, community: Community) -> bool:
    return user.is_authenticated and can_post_in(user, community)


def may_manage_chain(user, batch: ArchiveImport) -> bool:
    """The forwarder, and those who moderate the community, see and act on its preview."""
    if not user.is_authenticated or batch.source != ArchiveImport.Source.CHAIN:
        return False
    return batch.created_by_id == user.pk or can_moderate(user, batch.community)


def may_publish_chain(user, batch: ArchiveImport) -> bool:
    """The forwarder while they may still post there, and those who moderate the community."""
    if not may_manage_chain(user, batch):
        return False
    return can_moderate(user, batch.community) or may_start_chain(user, batch.community)


def chain_publish_refusal(user, batch: ArchiveImport) -> str | None:
    """Why `user` may not publish the chain themselves, or None. A forwarder whose own
    posts would be refused or held (muted, rate-limited, checked first, a pre-election
    period) leaves publishing to a facilitator, as the web and email paths would."""
    if can_moderate(user, batch.community):
        return None
    reason = posting_blocked_reason(author=user, community=batch.community, action="thread")
    if reason:
        return reason
    if initial_post_status(author=user, community=batch.community) != Post.Status.PUBLISHED:
        return "Posts you start here are checked by a facilitator first, so a facilitator must publish this chain."
    return None


def chain_messages_from_text(text: str) -> list[ChainMessage]:
    """The chain in pasted text: the pasted emails, oldest first."""
    return in_reply_order(split_text(text)[1])


def _eml(message: ChainMessage, message_id: str, earlier: list[str], subject: str) -> bytes:
    email = EmailMessage()
    email["From"] = formataddr((message.name, message.address)) if message.address else message.name
    email["Subject"] = message.subject or subject
    if message.date is not None:
        email["Date"] = format_datetime(message.date)
    email["Message-ID"] = message_id
    if earlier:
        email["In-Reply-To"] = earlier[-1]
        email["References"] = " ".join(earlier[-20:])
    email.set_content(message.body)
    return bytes(email)


def chain_archive(messages: list[ChainMessage], *, subject: str = "") -> bytes:
    """A zip of .eml files, in reply order, each answering the one before. The
    Message-IDs come from what each message says, so forwarding the same chain again
    (or a longer chain that holds it) adds only what is new."""
    buffer = io.BytesIO()
    ids: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, message in enumerate(messages, start=1):
            said = "\n".join([message.address or message.name.lower(), str(message.date), message.words])
            message_id = f"<chain-{hashlib.sha256(said.encode()).hexdigest()[:40]}@{settings.POST_DOMAIN}>"
            archive.writestr(f"{number:04d}.eml", _eml(message, message_id, ids, subject))
            ids.append(message_id)
    return buffer.getvalue()


@transaction.atomic
def chain_import_start(*, community: Community, by, messages: list[ChainMessage], subject: str = "") -> ArchiveImport:
    """Store the chain as an unpublished thread for `by` to preview and publish."""
    if not may_start_chain(by, community):
        raise PermissionDenied
    blocked = posting_blocked_reason(author=by, community=community, action="thread")
    if blocked:
        raise ValidationError(blocked, code="blocked")
    if not messages:
        raise ValidationError(NO_CHAIN, code="no_chain")
    since = timezone.now() - timedelta(days=1)
    recent = ArchiveImport.objects.filter(source=ArchiveImport.Source.CHAIN, created_by=by, created_at__gte=since)
    if recent.count() >= CHAINS_PER_DAY:
        raise ValidationError(
            "You have started too many conversations from email chains today. Try again tomorrow", code="too_many"
        )
    batch = ArchiveImport.objects.create(
        community=community, created_by=by, filename=CHAIN_FILENAME, source=ArchiveImport.Source.CHAIN
    )
    upload = SimpleUploadedFile("chain.zip", chain_archive(messages, subject=subject), "application/zip")
    batch.archive.save("chain", upload, save=True)
    # A chain is a few messages: it is stored now, so the preview is ready at once.
    return import_run(batch_id=batch.pk)
