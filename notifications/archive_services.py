"""Starting, resuming, publishing and removing archive imports (notifications.archive_import
runs them). Each service checks that its caller may manage imports in the community:
its facilitators and owners, and site admins."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_moderate
from forums.counters import counts_refresh
from forums.models import Post, Thread
from notifications.archive_import import discard_archive
from notifications.archive_reader import MAX_ARCHIVE_BYTES, ArchiveRefused, sniff
from notifications.chain_services import chain_publish_refusal, may_publish_chain
from notifications.models import ArchiveImport
from notifications.tasks import run_archive_import

# A running import whose progress has not moved for this long has lost its worker.
STALLED_AFTER = timedelta(minutes=10)


def may_import(user, community: Community) -> bool:
    return user.is_authenticated and can_moderate(user, community)


def may_manage(user, batch: ArchiveImport) -> bool:
    """Publish or remove an import: moderators, and the member who forwarded a chain."""
    return may_import(user, batch.community) or may_publish_chain(user, batch)


def import_threads(batch: ArchiveImport):
    """The threads an import made (each holds only that import's posts)."""
    openings = Post.objects.filter(pk__in=batch.messages.values("post_id"), parent__isnull=True)
    return Thread.objects.filter(pk__in=openings.values("thread_id"))


def check_archive(upload) -> None:
    """ValidationError, in words for the importer, unless `upload` looks like an archive."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > MAX_ARCHIVE_BYTES:
        raise ValidationError(
            "The selected file must be smaller than 1 GB. Split the archive into smaller files, "
            "or ask a site admin to import it on the server",
            code="too_big",
        )
    try:
        sniff(upload)
    except ArchiveRefused as error:
        raise ValidationError(str(error), code="not_archive") from error


def _enqueue(batch_id: int) -> None:
    run_archive_import.enqueue(batch_id)


@transaction.atomic
def archive_import_start(*, community: Community, by, upload, enqueue: bool = True) -> ArchiveImport:
    """Store the archive and queue its import (`enqueue=False`: the caller runs it)."""
    if not may_import(by, community):
        raise PermissionDenied
    check_archive(upload)
    batch = ArchiveImport.objects.create(community=community, created_by=by, filename=upload.name[:200])
    batch.archive.save("archive", upload, save=True)
    if enqueue:
        transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch


def can_resume(batch: ArchiveImport) -> bool:
    if batch.status == ArchiveImport.Status.FAILED:
        return bool(batch.archive)
    stalled = batch.updated_at is None or batch.updated_at < timezone.now() - STALLED_AFTER
    return batch.status == ArchiveImport.Status.RUNNING and stalled and bool(batch.archive)


def can_remove(batch: ArchiveImport) -> bool:
    return batch.status != ArchiveImport.Status.PUBLISHED and (not batch.is_active or can_resume(batch))


@transaction.atomic
def archive_import_resume(*, batch: ArchiveImport, by) -> None:
    if not may_import(by, batch.community):
        raise PermissionDenied
    if not can_resume(batch):
        raise ValidationError("This import cannot be resumed", code="not_resumable")
    ArchiveImport.objects.filter(pk=batch.pk).update(status=ArchiveImport.Status.FAILED)
    transaction.on_commit(lambda: _enqueue(batch.pk))


@transaction.atomic
def archive_import_publish(*, batch: ArchiveImport, by) -> int:
    """Every thread of the import becomes visible at once, under the community's usual
    visibility; nothing is announced (these are old conversations). Returns how many."""
    if not may_manage(by, batch):
        raise PermissionDenied
    refusal = chain_publish_refusal(by, batch) if batch.source == ArchiveImport.Source.CHAIN else None
    if refusal:
        raise ValidationError(refusal, code="refused")
    locked = ArchiveImport.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ArchiveImport.Status.READY:
        raise ValidationError("Only a finished import can be published", code="not_ready")
    threads = import_threads(locked).filter(is_unpublished=True)
    latest = threads.order_by("-last_activity_at").values_list("last_activity_at", flat=True).first()
    published = threads.update(is_unpublished=False)
    if published:
        counts_refresh(communities=[locked.community_id], active_at=latest)
    locked.status, locked.published_at = ArchiveImport.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at"])
    batch.status = locked.status
    return published


@transaction.atomic
def archive_import_remove(*, batch: ArchiveImport, by) -> int:
    """Everything the import made goes, as a whole: its threads, posts and the file.
    Published imports stay (their threads are moderated like any other)."""
    if not may_manage(by, batch):
        raise PermissionDenied
    locked = ArchiveImport.objects.select_for_update().get(pk=batch.pk)
    if not can_remove(locked):
        raise ValidationError("This import cannot be removed now", code="not_removable")
    removed, _ = import_threads(locked).filter(is_unpublished=True).delete()
    discard_archive(locked)
    locked.delete()
    return removed


def time_left(batch: ArchiveImport) -> timedelta | None:
    """A rough estimate from the pace so far; None until there is a pace to go by."""
    if batch.status != ArchiveImport.Status.RUNNING or not batch.messages_total or not batch.messages_read:
        return None
    elapsed = (batch.updated_at or timezone.now()) - batch.started_at
    remaining = max(batch.messages_total - batch.messages_read, 0)
    return elapsed / batch.messages_read * remaining
