"""Email in: every message received (processed once, by Message-ID), messages held
for their member's confirmation, and the version that retires old reply addresses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReplyTokenVersion(models.Model):
    """Bumping `version` revokes every reply-by-email address issued to the user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.user_id}: version {self.version}"


class InboundMessage(models.Model):
    """Every message received, keyed by Message-ID: the unique constraint is what
    makes a message delivered ten times at once create one post."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        HELD = "held", "Held until the member confirms it"

    message_id = models.CharField(max_length=500, unique=True)
    sender = models.CharField(max_length=320)
    recipient = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey("forums.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bounce_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The bounce rate limit: bounces sent to an address in the last day.
            models.Index(
                fields=["sender", "bounce_sent_at"],
                condition=Q(bounce_sent_at__isnull=False),
                name="inbound_bounces_by_sender_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"


class HeldInboundMessage(models.Model):
    """An email we could not be sure the member sent (no aligned SPF, DKIM or DMARC
    pass, or a reply from an address not theirs): kept, parsed, until the member
    confirms it from a link emailed to their verified address. Expired rows are
    deleted as new mail arrives (notifications.inbound.holds_expire)."""

    class Kind(models.TextChoices):
        THREAD = "thread", "A new conversation"
        REPLY = "reply", "A reply"

    inbound = models.OneToOneField(InboundMessage, on_delete=models.CASCADE, related_name="held")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey("forums.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("forums.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # The message as received, so its attachments are checked and kept on confirmation.
    raw = models.BinaryField(blank=True)
    confirm_to = models.EmailField(max_length=320)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The clean-up: holds past their expiry.
            models.Index(fields=["expires_at"], name="held_inbound_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}, held until {self.expires_at:%Y-%m-%d}"
