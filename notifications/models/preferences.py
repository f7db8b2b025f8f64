"""What each member chose to be emailed, and the addresses and members who stopped
email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications.models.in_site import Notification

EMAILED_KINDS = [
    Notification.Kind.REPLY,
    Notification.Kind.MENTION,
    Notification.Kind.ANSWER_ACCEPTED,
    Notification.Kind.POST_MODERATED,
    Notification.Kind.REVIEW_ITEM,
]


class EmailKindPreference(models.Model):
    """Whether a kind of notification is also emailed straight away. No row: it is."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Notification.Kind.choices)
    email_immediately = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {'email' if self.email_immediately else 'site only'}"


class CommunityEmailPreference(models.Model):
    """How much email a member gets from one community. No row: a daily digest."""

    class Mode(models.TextChoices):
        NONE = "none", "No email"
        DAILY = "daily", "Email me a daily summary"
        WEEKLY = "weekly", "Email me a weekly summary"
        EVERY_POST = "every_post", "Email me every post"

    DEFAULT_MODE = Mode.DAILY

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=20, choices=Mode.choices, default=DEFAULT_MODE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="one_email_mode_per_community"),
        ]
        indexes = [
            # Every-post recipients and digest runs: who chose a mode in a community.
            models.Index(fields=["community", "mode"], name="email_mode_community_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id}: {self.mode}"


class EmailStop(models.Model):
    """A member who chose to stop all email except account and security messages (and
    decisions about their own membership and posts). No row: email as chosen."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"All email stopped for {self.user_id}"


class EmailOptOut(models.Model):
    """A member turned one kind of occasional email off: the facilitators' weekly
    summary (no community), or a community's highlights or announcements. No row: sent."""

    class Kind(models.TextChoices):
        FACILITATOR_WEEKLY = "facilitator_weekly", "the weekly summary for facilitators"
        HIGHLIGHTS = "highlights", "highlights emails"
        ANNOUNCEMENTS = "announcements", "announcements by email"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Unsubscribing twice keeps one row; nulls count as equal for the weekly summary.
            models.UniqueConstraint(
                fields=["user", "kind", "community"], name="one_email_opt_out_per_kind", nulls_distinct=False
            ),
        ]
        indexes = [
            # Highlights and announcements: who in a community turned them off.
            models.Index(fields=["community", "kind"], name="email_opt_out_community_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} turned off {self.kind} ({self.community_id})"
