"""Running an archive import: two passes over the archive, one message at a time, each
conversation one transaction and each message a savepoint; posts are stored unpublished
and nothing is announced (docs/email.md, "Archive imports")."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from communities.permissions import is_active_member
from core.text import one_line
from forums.counters import counts_refresh
from forums.forms import MAX_BODY
from forums.models import SORT_PATH_WIDTH, Attachment, Post, Thread
from forums.rendering import render_post
from notifications.archive_email import import_summary_send
from notifications.archive_reader import Archive, ArchiveRefused, local_path
from notifications.archive_threading import Summary, references_of, thread_messages, walk
from notifications.inbound_reading import MAX_TITLE, SUBJECT_PREFIX, Rejected, checked_attachments, member_with_address
from notifications.models import ArchiveImport, ImportedMessage
from notifications.parsing import reply_text
from notifications.tokens import content_key

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 50  # messages between progress saves
MAX_REFUSALS_KEPT = 200  # reasons listed on the progress page; the count goes on
UNKNOWN_AUTHOR = "Unknown sender"
UNTITLED = "(no subject)"


class _Run:
    """The state of one run of one import: counters and who each sender is."""

    def __init__(self, batch: ArchiveImport):
        self.batch = batch
        self.members: dict[str, object] = {}
        self.refusals: list[str] = [line for line in batch.refusals.split("\n") if line]
        self.started = time.monotonic()

    def refuse(self, number: int, reason: str) -> None:
        self.batch.refused += 1
        if len(self.refusals) < MAX_REFUSALS_KEPT:
            self.refusals.append(f"Message {number}: {reason}")

    def note(self, number: int, reason: str) -> None:
        """Something left out of a message that was still imported."""
        if len(self.refusals) < MAX_REFUSALS_KEPT:
            self.refusals.append(f"Message {number}: {reason}")

    def save_progress(self) -> None:
        self.batch.refusals = "\n".join(self.refusals)
        self.batch.updated_at = timezone.now()
        self.batch.save(
            update_fields=[
                "messages_total",
                "messages_read",
                "threads_made",
                "posts_made",
                "duplicates",
                "refused",
                "refusals",
                "updated_at",
            ]
        )

    def member_for(self, address: str):
        """The sender, if their verified address belongs to a listed, active member of
        this community; anyone else is an archived author by name. Otherwise an upload
        could learn whose an address is, or put a post under the name of someone who
        never wrote there."""
        address = address.strip().lower()
        if address not in self.members:
            member = member_with_address(address) if address else None
            if member is not None and not (member.is_listed and is_active_member(member, self.batch.community)):
                member = None
            # A forwarded chain's From lines are typed by the forwarder: only their own
            # emails are credited to an account; anyone else's are archived by name.
            if self.batch.source == ArchiveImport.Source.CHAIN and member is not None:
                member = member if member.pk == self.batch.created_by_id else None
            self.members[address] = member
        return self.members[address]


def summarise(raw: bytes, *, key, number: int) -> Summary:
    """Threading headers of one message (its body is not parsed)."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    message_id = (references_of("", _header(headers, "Message-ID")) or [content_key(raw)])[0]
    return Summary(
        key=key,
        number=number,
        message_id=message_id,
        references=references_of(_header(headers, "References"), _header(headers, "In-Reply-To")),
        subject=one_line(_header(headers, "Subject")),
        date=_date(_header(headers, "Date")),
    )


def _header(message, name: str) -> str:
    """A header's decoded text (RFC 2047 words decoded); empty when missing or broken."""
    try:
        return str(message.get(name, "") or "")
    except (ValueError, TypeError, IndexError, AttributeError):
        return ""


def _date(value: str) -> datetime | None:
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return date.replace(tzinfo=UTC) if date.tzinfo is None else date


def sender_of(message) -> tuple[str, str]:
    """(address, name as shown) of the From header; the name never falls back to the
    address, so an archived author is never shown by it."""
    value = _header(message, "From")
    pairs = getaddresses([value]) if value else []
    name, address = pairs[0] if pairs else ("", "")
    name = one_line(name).strip("'\" ")
    if "@" in name or not name:
        name = UNKNOWN_AUTHOR
    return address, name[:200]


def _title(subject: str) -> str:
    return (" ".join(SUBJECT_PREFIX.sub("", subject).split()) or UNTITLED)[:MAX_TITLE]


def _store(run: _Run, archive: Archive, summary: Summary, parent: Post | None) -> Post:
    """One message as a post under `parent` (or opening a new unpublished thread)."""
    batch = run.batch
    message = message_from_bytes(archive.read(summary.key), policy=policy.default)
    body = reply_text(message).replace("\x00", "")
    if not body:
        raise ArchiveRefused("it has no text of its own once quoted text and signatures are removed")
    if len(body) > MAX_BODY:
        raise ArchiveRefused(f"its text is longer than {MAX_BODY:,} characters, the most a post can hold")
    address, name = sender_of(message)
    member = run.member_for(address)
    try:
        attachments = checked_attachments(message)
    except Rejected as error:
        run.note(summary.number, f"its attachments were not imported. {error}")
        attachments = []
    date = summary.date or (parent.created_at if parent else timezone.now())
    made_thread = parent is None
    if made_thread:
        thread = Thread.objects.create(
            community=batch.community,
            author=member,
            title=_title(summary.subject),
            created_at=date,
            last_activity_at=date,
            is_unpublished=True,
        )
    else:
        thread = parent.thread
    # The id first, so the sort path is written with the row rather than by a second
    # write (which would fire the post's search and version triggers again).
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('forums_post', 'id'))")
        pk = cursor.fetchone()[0]
    prefix = f"{parent.sort_path}." if parent is not None else ""
    post = Post.objects.create(
        pk=pk,
        thread=thread,
        author=member,
        archived_author_name="" if member else name,
        parent=parent,
        depth=0 if parent is None else parent.depth + 1,
        sort_path=prefix + str(pk).zfill(SORT_PATH_WIDTH),
        body=body,
        body_html=render_post(body)[0],
        created_at=date,
    )
    for upload, content_type, filename in attachments:
        Attachment.objects.create(
            post=post, file=upload, filename=filename, content_type=content_type, size=upload.size
        )
    ImportedMessage.objects.create(community=batch.community, batch=batch, message_id=summary.message_id, post=post)
    batch.threads_made += made_thread
    batch.posts_made += 1
    return post


def _import_conversation(run: _Run, archive: Archive, root, known: dict) -> None:
    """One conversation in one transaction; each message in its own savepoint."""
    batch = run.batch
    touched: set[int] = set()
    with transaction.atomic():
        # Nobody else can see these threads yet: their pages' versions move on once, when
        # the conversation is counted below, not with every post (two row updates fewer
        # per post; the pause ends with the transaction, as in seed_scale).
        _versions_paused(True)
        stored: dict[int, Post | None] = {}
        for node, parent_node in walk(root):
            summary = node.summary
            parent = stored.get(id(parent_node)) if parent_node is not None else None
            batch.messages_read += 1
            earlier = known.get(summary.message_id)
            if earlier is not None:
                post_id, batch_id = earlier
                if batch_id == batch.pk:  # resumed: stored by an earlier run of this import
                    stored[id(node)] = Post.objects.select_related("thread").get(pk=post_id)
                else:
                    # Already imported elsewhere: its replies start a thread of this import,
                    # so nothing is added to a thread that is already published.
                    batch.duplicates += 1
                    stored[id(node)] = parent
                continue
            try:
                with transaction.atomic():
                    post = _store(run, archive, summary, parent)
            except (ArchiveRefused, ValueError, LookupError, TypeError, UnicodeError) as error:
                run.refuse(summary.number, f"not imported: {error}")
                stored[id(node)] = parent  # its replies answer what it answered
                continue
            except IntegrityError:  # another import stored the same Message-ID meanwhile
                batch.duplicates += 1
                stored[id(node)] = parent
                continue
            except Exception:  # one strange message must not stop the rest
                logger.exception("Archive import %s: message %s not imported", batch.pk, summary.number)
                run.refuse(summary.number, "not imported: it could not be read")
                stored[id(node)] = parent
                continue
            known[summary.message_id] = (post.pk, batch.pk)
            stored[id(node)] = post
            touched.add(post.thread_id)
            if batch.messages_read % PROGRESS_EVERY == 0:
                run.save_progress()
        _versions_paused(False)
        for thread_id in touched:
            _count_thread(thread_id)


def _versions_paused(paused: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL commsnet.versions_paused = '{'on' if paused else 'off'}'")


def _count_thread(thread_id: int) -> None:
    posts = Post.objects.filter(thread_id=thread_id)
    latest = posts.order_by("-created_at").values_list("created_at", flat=True).first()
    Thread.objects.filter(pk=thread_id).update(last_activity_at=latest)
    counts_refresh(threads=[thread_id])


def _already_imported(community_id: int, message_ids: list[str]) -> dict[str, tuple[int, int]]:
    known = {}
    for start in range(0, len(message_ids), 2000):
        rows = ImportedMessage.objects.filter(
            community_id=community_id, message_id__in=message_ids[start : start + 2000]
        )
        known.update((m, (post, batch)) for m, post, batch in rows.values_list("message_id", "post_id", "batch_id"))
    return known


def _read_headers(run: _Run, archive: Archive) -> list[Summary]:
    summaries = []
    keys = archive.keys()
    run.batch.messages_total = len(keys)
    for number, key in enumerate(keys, start=1):
        try:
            summaries.append(summarise(archive.read(key), key=key, number=number))
        except (ArchiveRefused, ValueError, LookupError, TypeError, UnicodeError) as error:
            run.batch.messages_read += 1
            run.refuse(number, f"could not be read: {error}")
    return summaries


def _restart_counts(batch: ArchiveImport) -> None:
    """A resumed run counts again from the start; what is already stored stays counted."""
    posts = Post.objects.filter(pk__in=batch.messages.values("post_id"))
    batch.messages_read = batch.duplicates = batch.refused = 0
    batch.refusals = ""
    batch.posts_made = posts.count()
    batch.threads_made = posts.filter(parent__isnull=True).count()


def import_run(*, batch_id: int) -> ArchiveImport | None:
    """Run (or resume) an import to the end; a failure is recorded on the import."""
    # Claimed in one statement, so two workers given the same import never both run it.
    startable = [ArchiveImport.Status.QUEUED, ArchiveImport.Status.FAILED]
    claimed = ArchiveImport.objects.filter(pk=batch_id, status__in=startable).update(
        status=ArchiveImport.Status.RUNNING, error="", updated_at=timezone.now()
    )
    batch = ArchiveImport.objects.select_related("community", "created_by").filter(pk=batch_id).first()
    if not claimed:
        return batch
    _restart_counts(batch)
    batch.started_at = batch.started_at or timezone.now()
    batch.save()
    run = _Run(batch)
    try:
        with local_path(batch.archive) as path, Archive(path) as archive:
            summaries = _read_headers(run, archive)
            roots, duplicates = thread_messages(summaries)
            batch.messages_read += len(duplicates)
            batch.duplicates += len(duplicates)
            run.save_progress()
            known = _already_imported(batch.community_id, [s.message_id for s in summaries])
            del summaries
            for root in roots:
                _import_conversation(run, archive, root, known)
    except ArchiveRefused as error:
        return _stop(run, str(error))
    except (FileNotFoundError, ValueError):
        return _stop(run, "The uploaded file is no longer available. Remove this import and upload the file again")
    except Exception:
        logger.exception("Archive import %s stopped", batch.pk)
        return _stop(run, "The import stopped because of a problem on our side. Resume it to carry on")
    run.save_progress()
    batch.status, batch.finished_at = ArchiveImport.Status.READY, timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    discard_archive(batch)
    transaction.on_commit(lambda: import_summary_send(batch))
    return batch


def _stop(run: _Run, error: str) -> ArchiveImport:
    run.save_progress()
    run.batch.status, run.batch.error = ArchiveImport.Status.FAILED, error[:500]
    run.batch.save(update_fields=["status", "error"])
    transaction.on_commit(lambda: import_summary_send(run.batch))
    return run.batch


def discard_archive(batch: ArchiveImport) -> None:
    """The uploaded file holds everyone's addresses: it goes once it is no longer needed."""
    if batch.archive:
        name, storage = batch.archive.name, batch.archive.storage
        batch.archive = ""
        batch.save(update_fields=["archive"])
        transaction.on_commit(lambda: storage.delete(name))
