"""Retention: threads quiet for N years are archived (locked, with a record) and
deleted M years later, the facilitators warned first; a legal hold stops both.
`apply_retention` runs daily and is safe to run twice (docs/records.md, "Retention")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_set_legal_hold, can_set_retention
from forums.counters import counts_refresh
from forums.models import Attachment, Thread
from moderation.models import ModerationAction
from moderation.services import log_action
from records import emails
from records.models import ArchivedThread, RetentionLimits, RetentionRule

A = ModerationAction.Action
T = ModerationAction.TargetType
WARNING_PERIOD = timedelta(days=30)


class RetentionError(ValueError):
    """A rule that breaks the site's limits, or a change the person may not make."""


def years_after(moment: datetime, years: int) -> datetime:
    """The same day and time `years` later (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def limit_problems(limits: RetentionLimits, *, archive_after_years, delete_after_years) -> dict[str, str]:
    """What is wrong with a rule under the site's limits, by field; written once for the
    form and the service."""
    problems = {}
    if archive_after_years is not None and not (
        limits.min_archive_years <= archive_after_years <= limits.max_archive_years
    ):
        problems["archive_after_years"] = (
            f"Years before archiving must be between {limits.min_archive_years} and {limits.max_archive_years}"
        )
    if delete_after_years is not None:
        if not limits.allow_deletion:
            problems["delete_after_years"] = "Deleting archived threads is turned off for this site: leave it empty"
        elif archive_after_years is None:
            problems["delete_after_years"] = "Set years before archiving first: only archived threads are deleted"
        elif not (limits.min_delete_years <= delete_after_years <= limits.max_delete_years):
            problems["delete_after_years"] = (
                f"Years before deleting must be between {limits.min_delete_years} and {limits.max_delete_years}"
            )
    return problems


def _describe(rule: RetentionRule) -> str:
    archive = f"archive after {rule.archive_after_years} years" if rule.archive_after_years else "never archive"
    delete = f"delete {rule.delete_after_years} years later" if rule.delete_after_years else "never delete"
    hold = "; legal hold" if rule.legal_hold else ""
    return f"{archive}, {delete}{hold}"


@transaction.atomic
def retention_rule_set(
    *,
    community: Community,
    actor,
    archive_after_years: int | None,
    delete_after_years: int | None,
    legal_hold: bool | None = None,
    legal_hold_reason: str = "",
) -> RetentionRule:
    """Save a community's rule (owners and site admins; a legal hold: site admins).
    `legal_hold=None` leaves the hold as it is."""
    if not can_set_retention(actor, community):
        raise RetentionError("Only owners and site admins can change the retention rule.")
    problems = limit_problems(
        RetentionLimits.current(), archive_after_years=archive_after_years, delete_after_years=delete_after_years
    )
    if problems:
        raise RetentionError(" ".join(problems.values()))
    rule, _ = RetentionRule.objects.select_for_update().get_or_create(community=community)
    before = _describe(rule)
    if legal_hold is not None and (legal_hold, legal_hold_reason) != (rule.legal_hold, rule.legal_hold_reason):
        if not can_set_legal_hold(actor):
            raise RetentionError("Only site admins can place or lift a legal hold.")
        rule.legal_hold, rule.legal_hold_reason = legal_hold, legal_hold_reason if legal_hold else ""
    rule.archive_after_years, rule.delete_after_years = archive_after_years, delete_after_years
    rule.updated_by, rule.updated_at = actor, timezone.now()
    rule.save()
    if _describe(rule) != before:
        log_action(
            actor=actor,
            action=A.RETENTION_CHANGE,
            community=community,
            target_type=T.COMMUNITY,
            target_id=community.pk,
            target_text=community.name,
            from_state=before,
            to_state=_describe(rule),
            reason=rule.legal_hold_reason,
        )
    return rule


# The daily run -------------------------------------------------------------------------


@dataclass
class RetentionRun:
    archived: list[int] = field(default_factory=list)
    warned: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    lapsed: list[int] = field(default_factory=list)


def apply_retention(*, now: datetime | None = None) -> RetentionRun:
    """Apply every community's rule as of `now` (tests pass a fixed moment)."""
    now = now or timezone.now()
    run = RetentionRun()
    limits = RetentionLimits.current()
    rules = RetentionRule.objects.select_related("community").filter(
        Q(archive_after_years__isnull=False) | Q(delete_after_years__isnull=False) | Q(legal_hold=True)
    )
    for rule in rules:
        _lapse_archives(rule.community, now, run)
        if rule.legal_hold:
            # Held: nothing moves, and a deletion after the hold gets a fresh warning.
            _forget_warnings(rule.community)
            continue
        if rule.archive_after_years:
            _archive(rule, now, run)
        if rule.delete_after_years and limits.allow_deletion:
            _warn_and_delete(rule, now, run)
        else:
            _forget_warnings(rule.community)
    return run


def _lapse_archives(community: Community, now: datetime, run: RetentionRun) -> None:
    """Unlocked, or active again since archiving: released, no longer archived."""
    lapsed = ArchivedThread.objects.filter(thread__community=community, released_at__isnull=True).filter(
        Q(thread__is_locked=False) | Q(thread__last_activity_at__gt=F("archived_at"))
    )
    run.lapsed += list(lapsed.values_list("thread_id", flat=True))
    lapsed.update(released_at=now, warned_at=None, delete_on=None)


def _forget_warnings(community: Community) -> None:
    ArchivedThread.objects.filter(thread__community=community, warned_at__isnull=False).update(
        warned_at=None, delete_on=None
    )


def _archive(rule: RetentionRule, now: datetime, run: RetentionRun) -> None:
    quiet_since = years_after(now, -rule.archive_after_years)
    due = (
        Thread.objects.filter(community=rule.community, last_activity_at__lte=quiet_since)
        .filter(Q(archive_record__isnull=True) | Q(archive_record__released_at__lte=quiet_since))
        .only("pk", "title", "is_locked", "community_id")
    )
    reason = f"archived under the community's retention rule after {rule.archive_after_years} years with no activity."
    for thread in due:
        with transaction.atomic():
            record = ArchivedThread.objects.select_for_update().filter(thread=thread).first()
            if record is None:
                ArchivedThread.objects.create(thread=thread, archived_at=now)
            elif record.released_at is None:
                continue
            else:
                record.archived_at, record.released_at = now, None
                record.save(update_fields=["archived_at", "released_at"])
            if not thread.is_locked:
                Thread.objects.filter(pk=thread.pk).update(is_locked=True, lock_reason=reason[:300])
            log_action(
                actor=None,
                action=A.THREAD_ARCHIVE,
                community=rule.community,
                target_type=T.THREAD,
                target_id=thread.pk,
                target_text=thread.title,
                from_state="open" if not thread.is_locked else "locked",
                to_state="archived",
                reason=reason[:1].upper() + reason[1:],
            )
        run.archived.append(thread.pk)


def _warn_and_delete(rule: RetentionRule, now: datetime, run: RetentionRun) -> None:
    records = ArchivedThread.objects.filter(thread__community=rule.community, released_at__isnull=True)
    to_warn, to_delete = [], []
    for record in records.select_related("thread"):
        due = years_after(record.archived_at, rule.delete_after_years)
        if record.warned_at and record.delete_on < due:
            # The rule now keeps it longer: warn again 30 days before the new date.
            record.warned_at = record.delete_on = None
            record.save(update_fields=["warned_at", "delete_on"])
        if record.warned_at is None and now >= due - WARNING_PERIOD:
            record.warned_at, record.delete_on = now, max(due, now + WARNING_PERIOD)
            to_warn.append(record)
        elif record.warned_at is not None and now >= record.delete_on:
            to_delete.append(record)
    if to_warn:
        # One transaction: the warnings, their log entries and the email (the outbox is
        # in the same database) are saved together or not at all.
        with transaction.atomic():
            for record in to_warn:
                record.save(update_fields=["warned_at", "delete_on"])
                when = f"{record.delete_on.day} {record.delete_on:%B %Y}"
                _log_thread(rule, record.thread, A.THREAD_DELETION_WARNING, f"To be deleted on {when}.")
            emails.send_deletion_warning(rule.community, to_warn)
        run.warned += [record.thread_id for record in to_warn]
    for record in to_delete:
        thread_delete_expired(thread=record.thread, rule=rule)
        run.deleted.append(record.thread_id)


def _log_thread(rule: RetentionRule, thread: Thread, action: str, reason: str) -> None:
    log_action(
        actor=None,
        action=action,
        community=rule.community,
        target_type=T.THREAD,
        target_id=thread.pk,
        target_text=thread.title,
        reason=reason,
    )


@transaction.atomic
def thread_delete_expired(*, thread: Thread, rule: RetentionRule) -> None:
    """Delete a thread whose retention has run out, as the code deletes elsewhere: its
    files leave storage once the deletion commits, the community's count drops, and the
    moderation log keeps the entry (it holds ids and a title, never the posts)."""
    thread = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
    files = [attachment.file for attachment in Attachment.objects.filter(post__thread=thread)]
    transaction.on_commit(lambda: [file.delete(save=False) for file in files])
    _log_thread(rule, thread, A.THREAD_EXPIRE, f"Archived {rule.delete_after_years} years under the retention rule.")
    thread.tags.clear()
    Thread.objects.filter(pk=thread.pk).delete()
    counts_refresh(communities=[thread.community_id])
