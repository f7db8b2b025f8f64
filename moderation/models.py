"""Moderation records: flags, per-community settings, member sanctions and the
append-only moderation log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communities.models import Community
from forums.models import Post


class Flag(models.Model):
    """A member's report of a post (a thread is reported through its opening post)."""

    class Reason(models.TextChoices):
        OFF_TOPIC = "off_topic", "Off-topic"
        INAPPROPRIATE = "inappropriate", "Inappropriate or offensive"
        SPAM = "spam", "Spam or advertising"
        PERSONAL_DATA = "personal_data", "Shares personal data"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        UPHELD = "upheld", "Action taken"
        DISMISSED = "dismissed", "No action needed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    # Copied from the post's thread so the queue filters flags without joining threads;
    # moving or merging a thread updates it.
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_made")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # A member reports a post once until a facilitator deals with it.
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="one_open_flag_per_member_per_post",
            ),
        ]
        indexes = [
            # The community review queue and the header count: open flags, oldest first.
            models.Index(fields=["community", "status", "created_at"], name="flag_queue_idx"),
            # The site-wide queue.
            models.Index(fields=["status", "created_at"], name="flag_site_queue_idx"),
            # "Previous flags" on a post in the queue.
            models.Index(fields=["post", "status"], name="flag_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on post {self.post_id}"


class CommunityModerationSettings(models.Model):
    """Pre-moderation settings of one community (defaults apply while no row exists)."""

    DEFAULT_HOLD_FIRST_POSTS = 1

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="moderation_settings")
    hold_first_posts = models.PositiveSmallIntegerField(
        default=DEFAULT_HOLD_FIRST_POSTS,
        help_text="Hold a member's first posts for review until this many are approved. 0 turns it off.",
    )
    premoderate_all = models.BooleanField(
        default=False, help_text="Hold every post from members for review, whoever wrote it."
    )

    class Meta:
        verbose_name_plural = "community moderation settings"

    def __str__(self) -> str:
        return f"Moderation settings for {self.community}"


class SanctionQuerySet(models.QuerySet):
    def in_force(self, now=None) -> SanctionQuerySet:
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gt=now))


class MemberSanction(models.Model):
    """A warning, a mute or pre-moderation for one member in one community."""

    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        MUTE = "mute", "Muted"
        PREMODERATION = "premoderation", "Posts held for review"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="sanctions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(max_length=2000)
    until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Posting checks: a member's sanctions in force in a community.
            models.Index(fields=["community", "user", "kind"], name="sanction_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user} in {self.community}"

    @property
    def is_in_force(self) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > timezone.now())


class AppendOnlyError(Exception):
    """The moderation log is never changed or deleted."""


class ModerationActionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The moderation log cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The moderation log cannot be deleted.")


class ModerationAction(models.Model):
    """One moderation decision: who did what, to what, why, when, from which state to
    which. Append-only: save() refuses updates, the queryset refuses update() and
    delete(), the admin has no change or delete permission, and a database trigger
    refuses UPDATE and DELETE. References to people and communities are kept as ids
    without database constraints (and with text snapshots), so deleting a member or a
    community never has to rewrite the log."""

    class Action(models.TextChoices):
        POST_APPROVE = "post_approve", "Approved a post"
        POST_HIDE = "post_hide", "Hid a post"
        POST_RESTORE = "post_restore", "Restored a hidden post"
        FLAG_DISMISS = "flag_dismiss", "Dismissed a report"
        THREAD_PIN = "thread_pin", "Pinned a thread"
        THREAD_UNPIN = "thread_unpin", "Unpinned a thread"
        THREAD_LOCK = "thread_lock", "Locked a thread"
        THREAD_UNLOCK = "thread_unlock", "Unlocked a thread"
        THREAD_MOVE = "thread_move", "Moved a thread"
        THREAD_RENAME = "thread_rename", "Renamed a thread"
        THREAD_HIDE = "thread_hide", "Hid a thread"
        THREAD_RESTORE = "thread_restore", "Restored a thread"
        THREAD_MERGE = "thread_merge", "Merged threads"
        THREAD_SPLIT = "thread_split", "Split a thread"
        MEMBER_WARN = "member_warn", "Warned a member"
        MEMBER_MUTE = "member_mute", "Muted a member"
        MEMBER_PREMODERATE = "member_premoderate", "Put a member on pre-moderation"
        SANCTION_LIFT = "sanction_lift", "Lifted a sanction"
        MEMBER_BAN = "member_ban", "Banned a member"
        USER_SUSPEND = "user_suspend", "Suspended a site account"
        USER_REINSTATE = "user_reinstate", "Reinstated a site account"
        SETTINGS_CHANGE = "settings_change", "Changed pre-moderation settings"
        COMMUNITY_CHANGE = "community_change", "Changed a community's settings"
        COMMUNITY_ARCHIVE = "community_archive", "Archived a community"
        COMMUNITY_UNARCHIVE = "community_unarchive", "Unarchived a community"
        # Records (the records app): retention rules and exports.
        RETENTION_CHANGE = "retention_change", "Changed the retention rule"
        THREAD_ARCHIVE = "thread_archive", "Archived a thread (retention)"
        THREAD_DELETION_WARNING = "thread_deletion_warning", "Warned of a thread's deletion (retention)"
        THREAD_EXPIRE = "thread_expire", "Removed a thread at the end of its retention"
        COMMUNITY_EXPORT = "community_export", "Exported the community"
        PERIOD_SET = "period_set", "Set a pre-election period"
        PERIOD_CANCEL = "period_cancel", "Cancelled a pre-election period"
        PERIOD_START = "period_start", "A pre-election period started"
        PERIOD_END = "period_end", "A pre-election period ended"

    class TargetType(models.TextChoices):
        POST = "post", "Post"
        THREAD = "thread", "Thread"
        FLAG = "flag", "Report"
        USER = "user", "Member"
        COMMUNITY = "community", "Community"
        PERIOD = "period", "Pre-election period"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=200)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    community_name = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    target_text = models.CharField(max_length=300)
    from_state = models.CharField(max_length=200, blank=True)
    to_state = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A community's log, newest first.
            models.Index(fields=["community", "-created_at"], name="modlog_community_idx"),
            # The site-wide log, newest first, and its date filter.
            models.Index(fields=["-created_at"], name="modlog_recent_idx"),
            # Filtering by who acted.
            models.Index(fields=["actor", "-created_at"], name="modlog_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.get_action_display()} ({self.target_text})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The moderation log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The moderation log cannot be deleted.")


# Pre-election periods live in their own module; imported here so Django finds them.
from moderation.election_models import PreElectionPeriod  # noqa: E402, F401
