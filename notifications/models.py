"""Notifications in the site, email preferences, and the records that make email
delivery exactly-once-or-explicitly-retried (outbound) and idempotent (inbound)."""

import uuid

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


class ReplyTokenVersion(models.Model):
    """Bumping `version` revokes every reply-by-email address issued to the user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.user_id}: version {self.version}"


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


class EmailStop(models.Model):
    """A member who chose to stop all email except account and security messages (and
    decisions about their own membership and posts). No row: email as chosen."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"All email stopped for {self.user_id}"


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


def _archive_path(instance, filename: str) -> str:
    # A random name: the uploader's file name never reaches the file system.
    return f"archive-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ArchiveImport(models.Model):
    """One mailing-list archive (mbox, or zip of .eml files) being brought into a
    community by notifications.archive_import. Its threads stay unpublished (seen only by
    the community's moderators) until the importer publishes them, all at once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        FAILED = "failed", "Stopped"
        READY = "ready", "Ready to publish"
        PUBLISHED = "published", "Published"

    class Source(models.TextChoices):
        ARCHIVE = "archive", "Archive"
        CHAIN = "chain", "Forwarded email chain"  # notifications.chain_services

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="archive_imports")
    # A forwarded chain's import is also managed by the member who forwarded it.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ARCHIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="archive_imports"
    )
    # Kept only until the import finishes (a stopped import resumes from it).
    archive = models.FileField(upload_to=_archive_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    messages_total = models.PositiveIntegerField(null=True, blank=True)
    messages_read = models.PositiveIntegerField(default=0)
    threads_made = models.PositiveIntegerField(default=0)
    posts_made = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # Why messages were refused, one line each (no addresses): "Message 12: …".
    refusals = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moves on with each progress save: a running import that stops moving has lost its worker.
    updated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A community's imports, newest first (the import page).
            models.Index(fields=["community", "-created_at"], name="archive_import_community_idx"),
        ]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.community_id}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}


class ImportedMessage(models.Model):
    """An archive message that became a post: a Message-ID is imported once per
    community, whichever archive it comes from (cross-posts, overlapping archives)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(ArchiveImport, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(max_length=500)
    post = models.ForeignKey("forums.Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # Deduplication, and the lookup of a reply's parent by its Message-ID.
            models.UniqueConstraint(fields=["community", "message_id"], name="one_import_per_message_id"),
        ]
        indexes = [
            # Publishing or removing an import finds its posts.
            models.Index(fields=["batch"], name="imported_message_batch_idx"),
        ]

    def __str__(self) -> str:
        return self.message_id
