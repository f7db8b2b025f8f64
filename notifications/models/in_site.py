"""In-site notifications and each member's unread tally."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", "Replies to your threads and posts"
        MENTION = "mention", "Mentions of you"
        ANSWER_ACCEPTED = "answer_accepted", "Your answer was accepted"
        JOIN_DECIDED = "join_decided", "Decisions on your requests to join"
        INVITATION = "invitation", "Invitations to a community"
        POST_MODERATED = "post_moderated", "Facilitators' decisions on your posts"
        FLAG_RESOLVED = "flag_resolved", "Outcomes of your reports"
        SANCTION = "sanction", "Messages from facilitators about your membership"
        JOIN_REQUEST = "join_request", "New requests to join communities you run"
        REVIEW_ITEM = "review_item", "New items in review queues you work"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey("forums.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("forums.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A snapshot, so the list needs no joins to say what happened.
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The notifications page: a user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            # The bell: a user's unread count.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class UnreadTally(models.Model):
    """How many unread notifications a member has. PostgreSQL keeps it as
    notifications are added, read and removed (migrations/0003), and it comes with
    the member's own row on every request (members.backends), so the bell costs no
    query of its own while there is nothing unread, which is most of the time."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    unread = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.unread} unread"


# Kinds whose email this app sends (and a member may turn off). Membership decisions,
# invitations, reports and sanctions are emailed by the communities and moderation
# apps themselves, always.
