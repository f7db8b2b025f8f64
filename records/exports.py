"""Open-format exports of a community (HTML pages, threads.json and an mbox in one zip),
for FOI requests and archiving; what they hold and how memory stays bounded:
docs/records.md, "Community exports"."""

from __future__ import annotations

import io
import json
import logging
import shutil
import tempfile
import time
import zipfile
from datetime import datetime, timedelta
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from communities.models import Community
from communities.permissions import can_export_community
from forums.models import Post, Thread
from moderation.models import ModerationAction
from moderation.services import log_action
from records import emails
from records.models import CommunityExport

logger = logging.getLogger(__name__)

EXPIRES_AFTER = timedelta(days=7)
SHOWN = (Post.Status.PUBLISHED, Post.Status.DELETED)
MBOX_POLICY = default_policy.clone(linesep="\n")
PROGRESS_EVERY = 20
QUEUED, RUNNING = CommunityExport.Status.QUEUED, CommunityExport.Status.RUNNING


class ExportError(ValueError):
    """An export the person may not make, or a date range that makes no sense."""


def describe_range(date_from, date_to) -> str:
    if date_from and date_to:
        return f"from {date_from:%d/%m/%Y} to {date_to:%d/%m/%Y}"
    if date_from:
        return f"from {date_from:%d/%m/%Y}"
    if date_to:
        return f"up to {date_to:%d/%m/%Y}"
    return "everything"


@transaction.atomic
def export_request(*, community: Community, actor, date_from=None, date_to=None) -> CommunityExport:
    if not can_export_community(actor, community):
        raise ExportError("Only owners and site admins can export a community.")
    if date_from and date_to and date_from > date_to:
        raise ExportError("The end date must be the same as or after the start date")
    export = CommunityExport.objects.create(
        community=community, requested_by=actor, date_from=date_from, date_to=date_to
    )
    if community.visibility == Community.Visibility.PRIVATE:
        log_action(
            actor=actor,
            action=ModerationAction.Action.COMMUNITY_EXPORT,
            community=community,
            target_type=ModerationAction.TargetType.COMMUNITY,
            target_id=community.pk,
            target_text=community.name,
            to_state=describe_range(date_from, date_to),
        )
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


# What goes in -----------------------------------------------------------------------------


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def _posts_in_range(export: CommunityExport) -> Q:
    rule = Q(status__in=SHOWN)
    if export.date_from:
        rule &= Q(created_at__gte=_start_of(export.date_from))
    if export.date_to:
        rule &= Q(created_at__lt=_start_of(export.date_to) + timedelta(days=1))
    return rule


def export_threads(export: CommunityExport):
    """The threads of the export: shown ones with at least one post in its range."""
    in_range = Post.objects.filter(_posts_in_range(export), thread=OuterRef("pk"))
    return (
        Thread.objects.filter(community=export.community_id, is_hidden=False)
        .filter(Exists(in_range))
        .select_related("author")
        .order_by("created_at", "pk")
    )


def _person(user) -> dict | None:
    return None if user is None else {"username": user.username, "name": user.name}


def _thread_record(thread: Thread, posts: list[Post]) -> dict:
    return {
        "id": thread.pk,
        "title": thread.title,
        "url": settings.SITE_URL + thread.get_absolute_url(),
        "kind": thread.kind,
        "author": _person(thread.author),
        "created_at": thread.created_at.isoformat(),
        "last_activity_at": thread.last_activity_at.isoformat(),
        "is_locked": thread.is_locked,
        "accepted_answer_id": thread.accepted_answer_id,
        "tags": sorted(tag.name for tag in thread.tags.all()),
        "posts": [
            {
                "id": post.pk,
                "parent_id": post.parent_id,
                "author": _person(post.author),
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                "status": post.status,
                "body_markdown": post.body,
                "body_html": post.body_html,
            }
            for post in posts
        ],
    }


# The mbox ---------------------------------------------------------------------------------


def message_id(post_id: int) -> str:
    return f"<post-{post_id}@{urlsplit(settings.SITE_URL).hostname or 'commsnet'}>"


def _mbox_entry(community: Community, thread: Thread, post: Post) -> bytes:
    message = EmailMessage(policy=MBOX_POLICY)
    author = post.author
    # Members' real addresses stay out of the archive: a name and an address that cannot receive mail.
    message["From"] = (
        f'"{author.name if author else "Deleted member"}" <{author.username if author else "deleted"}@members.invalid>'
    )
    message["Subject"] = thread.title if post.parent_id is None else f"Re: {thread.title}"
    message["Date"] = format_datetime(post.created_at)
    message["Message-ID"] = message_id(post.pk)
    ancestors = [int(part) for part in post.sort_path.split(".")[:-1]] if post.sort_path else []
    if ancestors:
        message["In-Reply-To"] = message_id(ancestors[-1])
        message["References"] = " ".join(message_id(pk) for pk in ancestors)
    message["List-Id"] = f"{community.name} <{community.slug}.{urlsplit(settings.SITE_URL).hostname or 'commsnet'}>"
    message["X-CommsNet-Thread"] = str(thread.pk)
    message.set_content(post.body if post.status == Post.Status.PUBLISHED else "(This post was deleted.)")
    buffer = io.BytesIO()
    buffer.write(f"From MAILER-DAEMON {time.asctime(post.created_at.utctimetuple())}\n".encode())
    BytesGenerator(buffer, mangle_from_=True, policy=MBOX_POLICY).flatten(message)
    data = buffer.getvalue()
    return data + (b"\n" if data.endswith(b"\n") else b"\n\n")


# The build --------------------------------------------------------------------------------


def write_export(export: CommunityExport, out, *, progress=lambda done: None) -> None:
    """Write the export's zip to the binary file `out`, one thread at a time."""
    community = export.community
    root = f"{community.slug}-export"
    context = {
        "community": community,
        "export": export,
        "range": describe_range(export.date_from, export.date_to),
        "SITE_URL": settings.SITE_URL,
    }
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryFile() as json_file,
        tempfile.TemporaryFile() as mbox_file,
        tempfile.TemporaryFile() as index_file,
    ):
        header = {
            "community": {"name": community.name, "slug": community.slug, "visibility": community.visibility},
            "exported_at": timezone.now().isoformat(),
            "date_from": export.date_from.isoformat() if export.date_from else None,
            "date_to": export.date_to.isoformat() if export.date_to else None,
        }
        json_file.write(json.dumps(header, ensure_ascii=False)[:-1].encode() + b', "threads": [\n')
        done = 0
        in_range = _posts_in_range(export)
        for thread in export_threads(export).prefetch_related("tags").iterator(chunk_size=100):
            posts = list(thread.posts.filter(in_range).select_related("author").order_by("sort_path"))
            record = _thread_record(thread, posts)
            json_file.write((",\n" if done else "").encode() + json.dumps(record, ensure_ascii=False).encode())
            for post in posts:
                mbox_file.write(_mbox_entry(community, thread, post))
            page = render_to_string("records/export/thread.html", {**context, "thread": thread, "posts": posts})
            archive.writestr(f"{root}/threads/{thread.pk}.html", page)
            row = render_to_string("records/export/_index_row.html", {"thread": thread, "count": len(posts)})
            index_file.write(row.encode())
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
        json_file.write(b"\n]}\n")
        progress(done)
        context["count"] = done
        for name, source in ((f"{root}/threads.json", json_file), (f"{root}/community.mbox", mbox_file)):
            source.seek(0)
            with archive.open(name, "w") as entry:
                shutil.copyfileobj(source, entry)
        index_file.seek(0)
        top, bottom = render_to_string("records/export/index.html", context).split("<!-- rows -->")
        with archive.open(f"{root}/index.html", "w") as entry:
            entry.write(top.encode())
            shutil.copyfileobj(index_file, entry)
            entry.write(bottom.encode())


def _claim(export_id: int) -> int | None:
    """Start building a queued export: this build's attempt number, or None when the
    export is not waiting (already built, being built, or given up on)."""
    with transaction.atomic():
        export = CommunityExport.objects.select_for_update().filter(pk=export_id, status=QUEUED).first()
        if export is None:
            return None
        export.status, export.attempts, export.heartbeat_at = RUNNING, export.attempts + 1, timezone.now()
        export.save(update_fields=["status", "attempts", "heartbeat_at"])
    return export.attempts


@task()
def build_export(export_id: int) -> None:
    """Make the zip; safe to run twice (only a queued export is built). A build the sweep
    has since put back or given up on is no longer "ours": it keeps nothing it made."""
    attempt = _claim(export_id)
    if attempt is None:
        return
    export = CommunityExport.objects.select_related("community", "requested_by").get(pk=export_id)
    rows = CommunityExport.objects.filter(pk=export_id, status=RUNNING, attempts=attempt)
    rows.update(threads_total=export_threads(export).count(), threads_done=0)
    try:
        with tempfile.TemporaryFile() as out:
            write_export(
                export, out, progress=lambda done: rows.update(threads_done=done, heartbeat_at=timezone.now())
            )
            size = out.tell()
            out.seek(0)
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            name = default_storage.save(
                f"exports/{export.community_id}/{export.community.slug}-{stamp}.zip", File(out)
            )
    except Exception as error:
        logger.exception("Export %s failed", export_id)
        rows.update(status=CommunityExport.Status.FAILED, error=f"{type(error).__name__}"[:300])
        return
    now = timezone.now()
    finished = rows.update(
        status=CommunityExport.Status.READY, file=name, size=size, finished_at=now, expires_at=now + EXPIRES_AFTER
    )
    if not finished:
        default_storage.delete(name)
        return
    export.refresh_from_db()
    emails.send_export_ready(export)


# Builds a worker's death left behind -------------------------------------------------------

# A build shows progress every PROGRESS_EVERY threads: this long without any, its worker died.
STUCK_AFTER = timedelta(minutes=30)
# Builds started before an export is marked failed (one that kills its worker each time
# must not be tried for ever).
MAX_ATTEMPTS = 3


def exports_recover(*, now: datetime | None = None) -> tuple[int, int]:
    """Exports waiting or being made with no sign of life for STUCK_AFTER: queued again,
    or marked failed after MAX_ATTEMPTS builds. Safe to run any number of times, and
    beside live builds: each row changes only if it is still quiet. Returns (retried, failed)."""
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    quiet = CommunityExport.objects.filter(status__in=[QUEUED, RUNNING]).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    failed = quiet.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=CommunityExport.Status.FAILED,
        error=f"The build stopped {MAX_ATTEMPTS} times without finishing",
        finished_at=now,
    )
    retried = 0
    for export_id in quiet.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        if quiet.filter(pk=export_id, attempts__lt=MAX_ATTEMPTS).update(status=QUEUED, heartbeat_at=now):
            transaction.on_commit(lambda export_id=export_id: build_export.enqueue(export_id))
            retried += 1
    if retried or failed:
        logger.warning("Exports left by a stopped worker: %s queued again, %s marked failed", retried, failed)
    return retried, failed


@task()
def sweep_stuck_exports() -> None:
    """Run by the worker at start and every few minutes (settings.WORKER_SWEEP_TASKS)."""
    exports_recover()


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry (run daily with retention)."""
    now = now or timezone.now()
    expired = CommunityExport.objects.filter(status=CommunityExport.Status.READY, expires_at__lte=now)
    count = 0
    for export in expired:
        if export.file:
            default_storage.delete(export.file.name)
        CommunityExport.objects.filter(pk=export.pk).update(status=CommunityExport.Status.EXPIRED, file="")
        count += 1
    return count
