"""Records management: how long a community keeps its threads, and exports of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from communities.models import Community
from forums.models import Thread


class RetentionLimits(models.Model):
    """The bounds site admins set (in the admin) for every community's rule. One row."""

    min_archive_years = models.PositiveSmallIntegerField(default=1)
    max_archive_years = models.PositiveSmallIntegerField(default=10)
    min_delete_years = models.PositiveSmallIntegerField(
        default=1, help_text="Archived threads are kept at least this many years before deletion."
    )
    max_delete_years = models.PositiveSmallIntegerField(default=20)
    allow_deletion = models.BooleanField(
        default=True, help_text="Whether communities may delete archived threads at all."
    )

    class Meta:
        verbose_name_plural = "retention limits"
        constraints = [
            # The rule form offers the range between them: an empty range would refuse everything.
            models.CheckConstraint(
                condition=Q(min_archive_years__lte=F("max_archive_years")), name="retention_archive_range"
            ),
            models.CheckConstraint(
                condition=Q(min_delete_years__lte=F("max_delete_years")), name="retention_delete_range"
            ),
        ]

    def __str__(self) -> str:
        return "Retention limits"

    @classmethod
    def current(cls) -> RetentionLimits:
        return cls.objects.get_or_create(pk=1)[0]


class RetentionRule(models.Model):
    """A community's retention rule, set by its owners within RetentionLimits. No row,
    or empty years, means threads are kept as they are."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="retention_rule")
    archive_after_years = models.PositiveSmallIntegerField(null=True, blank=True)
    delete_after_years = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Retention rule for {self.community}"


class ArchivedThread(models.Model):
    """A thread archived by its community's retention rule. Archived means locked (so
    read-only for members, through the existing lock rule) plus this row, which holds
    the deletion clock. Unlocking the thread, or new activity in it, releases it: it is
    archived again only after another full period without activity from then."""

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="archive_record")
    archived_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    # When the facilitators were told, and the deletion date the email promised.
    warned_at = models.DateTimeField(null=True, blank=True)
    delete_on = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Archive of thread {self.thread_id}"


def _export_path(instance, filename: str) -> str:
    return f"exports/{instance.community_id}/{filename}"


class CommunityExport(models.Model):
    """One export of a community (or a date range of it) as a zip, built by a task.
    The file lives under MEDIA_ROOT/exports/, which is never served directly: only the
    checked download view reads it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="community_exports"
    )
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    threads_total = models.PositiveIntegerField(default=0)
    threads_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_export_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # The build's last sign of life (claimed, progress, put back), and how many builds
    # have started: a build whose heartbeat stops is built again, then given up on
    # (records.exports.exports_recover); the attempt number tells a build it is still the one.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The community's export page: its exports, newest first.
            models.Index(fields=["community", "-created_at"], name="export_community_idx"),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} of {self.community}"

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return int(100 * self.threads_done / self.threads_total) if self.threads_total else 0

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.READY and self.expires_at is not None and self.expires_at > timezone.now()
