"""Email out: each message a member is owed (EmailDelivery), the outbox rows that send
exactly once or retry explicitly (OutgoingEmail), and highlights sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from notifications.models.in_site import Notification


class EmailDelivery(models.Model):
    """One email to one person. The unique (recipient, key) pair means a message is
    queued once however often an event fires; the status walks queued → sending →
    sent (or skipped/failed), and a worker claims rows with SELECT … SKIP LOCKED."""

    class Kind(models.TextChoices):
        POST = "post", "A post"
        NOTIFICATION = "notification", "A notification"
        DIGEST = "digest", "A digest"
        FACILITATOR_WEEKLY = "facilitator_weekly", "Facilitators' weekly summary"
        HIGHLIGHTS = "highlights", "A community's highlights"
        ANNOUNCEMENT = "announcement", "An announcement"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent: no longer allowed or nothing to say"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    post = models.ForeignKey("forums.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # Digests: the period they cover.
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = "email deliveries"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_delivery_per_recipient_and_message"),
        ]
        indexes = [
            # The worker's claim: queued rows, and stale "sending" rows, oldest first.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="delivery_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.recipient_id} ({self.status})"


class OutgoingEmail(models.Model):
    """One composed email to one address, waiting for the mail server. Every email the
    site sends (account emails, invitations, decisions, bounces, notifications, digests)
    is stored here by `notifications.outbox.QueuedEmailBackend`, so no web request talks
    to SMTP, and a mail server that is down for hours delays mail but loses none."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent: its reader may no longer see what it shows"
        FAILED = "failed", "Failed: the mail server refused it for two days"

    to = models.CharField(max_length=320)
    subject = models.CharField(max_length=1000)
    # The message as EmailMultiAlternatives takes it: from, body, alternatives, headers
    # (with its Message-ID, fixed when queued so a retry is the same message), attachments.
    content = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "skipped", "failed"]),
                name="outgoing_email_known_status",
            ),
        ]
        indexes = [
            # The sender's claim: rows due now, and stale "sending" rows, oldest first.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="outgoing_email_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to} ({self.status})"


class HighlightsSend(models.Model):
    """A facilitator emailed their community's featured threads. The same threads head
    the members' next digests (notifications.highlights.digest_highlights)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The featured threads' ids when it was sent, in the order shown.
    thread_ids = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Digests: the highlights sent in their communities during their period.
            models.Index(fields=["community", "sent_at"], name="highlights_send_idx"),
        ]

    def __str__(self) -> str:
        return f"Highlights of {self.community_id} at {self.sent_at:%Y-%m-%d %H:%M}"
