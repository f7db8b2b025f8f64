import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from communities.models import Community, community_access
from communities.visibility import POST_RULE, THREAD_RULE, ListViewer, as_filter
from core.fast_reverse import reverse_args
from core.plain_english import parse_jargon

# How deep the tree is indented; deeper replies sit under their ancestor at this depth.
MAX_DISPLAY_DEPTH = 4
# Each ancestor's id, zero-padded, makes the sort path: ordering by it gives the tree.
SORT_PATH_WIDTH = 10
# Thread actions live at /threads/<id>/<action>/, so no thread may take these slugs.
RESERVED_SLUGS = {"pin", "unpin", "lock", "unlock", "subscription", "answer", "unread", "short-answer", "feed"}
# The text search configuration of the stored vectors (the posts' trigger uses it too:
# migrations/0006); search and similar-thread queries must use the same one.
SEARCH_CONFIG = "english"


class WithoutSearchVector(models.Manager):
    """Leaves the stored tsvector in the database: only PostgreSQL's matching reads it,
    and loading it would cost more than the rest of a row."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


def _list_viewer(access, user) -> ListViewer:
    return ListViewer(access.readable, access.moderated, user.pk if user.is_authenticated else None)


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ThreadQuerySet":
        """Threads `user` may read (the rule: communities.visibility.THREAD_RULE)."""
        access = community_access(user)
        if access.readable is None:  # site admins read everything
            return self.all()
        return self.filter(as_filter(THREAD_RULE, _list_viewer(access, user)))


class Thread(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        DISCUSSION = "discussion", "Discussion"
        ANNOUNCEMENT = "announcement", "Announcement"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="threads"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.QUESTION)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    lock_reason = models.CharField(max_length=300, blank=True)
    is_hidden = models.BooleanField(default=False)
    # Facilitators feature threads: shown at the top of the community page and in the
    # highlights email (communities.highlights). Null: not featured.
    featured_at = models.DateTimeField(null=True, blank=True)
    # An announcement stays pinned until then (null: until a facilitator unpins it).
    pinned_until = models.DateTimeField(null=True, blank=True)
    # Imported from a mailing-list archive and not yet published by its importer
    # (notifications.archive_import): only the community's moderators see it.
    is_unpublished = models.BooleanField(default=False)
    accepted_answer = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_for"
    )
    tags = TaggableManager(blank=True)
    # The answer in a few sentences, kept true: shown at the top of the thread, in search
    # and in similar-question suggestions (forums/short_answers.py). On the thread's row,
    # so changing it moves content_version on and no cached page outlives it.
    short_answer = models.TextField(blank=True)
    short_answer_html = models.TextField(blank=True, editable=False)
    short_answer_review_by = models.DateField(null=True, blank=True)
    short_answer_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The review date facilitators were last reminded of, so the daily reminder is sent once.
    short_answer_reminded_for = models.DateField(null=True, blank=True, editable=False)
    # Moves on whenever anything the thread's pages show changes: its row, its posts and
    # their attachments, its tags, its authors' names. Kept by PostgreSQL triggers
    # (migrations/0003_content_versions.py); cached pages are keyed by it.
    content_version = models.BigIntegerField(db_default=0, editable=False)
    # Kept by PostgreSQL itself, so search never has to compute it from rows.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config=SEARCH_CONFIG, weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = WithoutSearchVector.from_queryset(ThreadQuerySet)()

    class Meta:
        indexes = [
            # A community's thread list: pinned first, then by last activity.
            models.Index(fields=["community", "-is_pinned", "-last_activity_at"], name="thread_list_idx"),
            # Cross-community lists (home, tag pages) by activity.
            models.Index(fields=["-last_activity_at"], name="thread_activity_idx"),
            # Community health: a community's threads started in a period (forums.health).
            models.Index(fields=["community", "created_at"], name="thread_community_created_idx"),
            # The home page's recent questions waiting for an answer, and unseen announcements.
            models.Index(fields=["kind", "-created_at"], name="thread_kind_created_idx"),
            GinIndex(fields=["search_vector"], name="thread_search_idx", fastupdate=False),
            # The daily reminder: short answers whose review date has come.
            models.Index(
                fields=["short_answer_review_by"],
                name="thread_short_answer_review_idx",
                condition=Q(short_answer_review_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "thread"
            if self.slug in RESERVED_SLUGS:
                self.slug += "-thread"
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return self.accepted_answer_id is not None

    def get_absolute_url(self) -> str:
        return reverse_args("thread_detail", self.pk, self.slug)


class PostQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PostQuerySet":
        """Posts `user` may read (the rule: communities.visibility.POST_RULE)."""
        access = community_access(user)
        if access.readable is None:  # site admins read everything
            return self.all()
        return self.filter(as_filter(POST_RULE, _list_viewer(access, user)))


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HELD = "held", "Awaiting approval"
        HIDDEN = "hidden", "Hidden by a facilitator"
        DELETED = "deleted", "Deleted"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The opening post has depth 0 and no parent; replies to it have depth 1, and so on.
    depth = models.PositiveSmallIntegerField(default=0)
    sort_path = models.CharField(max_length=1000, blank=True, db_collation="C")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    moderation_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    helpful_count = models.PositiveIntegerField(default=0)
    # Who wrote an imported archive message, by the name in the archive, when the sender
    # is not a member (never their address); empty for every other post.
    archived_author_name = models.CharField(max_length=200, blank=True)
    # The thread's title (weight A) and this post's body (weight B), matched as one
    # document. Kept by PostgreSQL triggers, not Django (migrations/0006_...): a value
    # Django writes is replaced.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = WithoutSearchVector.from_queryset(PostQuerySet)()

    class Meta:
        indexes = [
            # The thread page in tree order, and in date order.
            models.Index(fields=["thread", "sort_path"], name="post_tree_idx"),
            models.Index(fields=["thread", "created_at"], name="post_chronological_idx"),
            # A member's recent posts (profiles).
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            # Community health across every community: posts written in a period.
            models.Index(fields=["created_at"], name="post_created_idx"),
            GinIndex(fields=["search_vector"], name="post_search_idx", fastupdate=False),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    @property
    def is_opening(self) -> bool:
        return self.parent_id is None

    def get_absolute_url(self) -> str:
        return reverse_args("post_redirect", self.pk)


class PostRevision(models.Model):
    """One version of a post's body. The first edit also records the original."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The revision history page, newest first.
            models.Index(fields=["post", "-created_at"], name="revision_post_idx"),
        ]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Mention(models.Model):
    """A member named with @username in a post, for notifications."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_mention_per_user_per_post"),
        ]
        indexes = [
            # "Where was I mentioned" for a member, newest first.
            models.Index(fields=["user", "-created_at"], name="mention_user_idx"),
        ]

    def __str__(self) -> str:
        return f"@{self.user_id} in post {self.post_id}"


class HelpfulMark(models.Model):
    """A member found a post helpful. Once per member per post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_helpful_mark_per_user_per_post"),
        ]
        indexes = [
            # The thread page asks "which of these posts has this member marked?".
            models.Index(fields=["user", "post"], name="helpful_user_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} found post {self.post_id} helpful"


class ThreadSubscription(models.Model):
    """A member's choice for one thread: watch it (email every post) or mute it."""

    class Level(models.TextChoices):
        WATCHING = "watching", "Watching"
        MUTED = "muted", "Muted"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_subscriptions")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=20, choices=Level.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="one_subscription_per_user_per_thread"),
        ]
        indexes = [
            # Notifications: who watches (or muted) this thread.
            models.Index(fields=["thread", "level"], name="subscription_thread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} thread {self.thread_id}"


class ThreadReadState(models.Model):
    """When a member last read a thread: posts after it are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_read_states")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            # Also serves the thread list's "last read" lookup per (user, thread).
            models.UniqueConstraint(fields=["user", "thread"], name="one_read_state_per_user_per_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read thread {self.thread_id} at {self.last_read_at}"


class CommunityForumSettings(models.Model):
    """Forum choices facilitators make for a community (kept here, not on Community)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="forum_settings")
    restrict_tags = models.BooleanField(
        "Only allow this community's own tags",
        default=False,
    )
    # Comma-separated tag names; the only tags allowed when restrict_tags is on.
    allowed_tags = models.TextField(blank=True)
    # Words and phrases the plain-English check points out (core/plain_english.py), one a line.
    jargon_words = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "community forum settings"

    def __str__(self) -> str:
        return f"Forum settings for {self.community}"

    @property
    def allowed_tag_list(self) -> list[str]:
        return [name.strip() for name in self.allowed_tags.split(",") if name.strip()]

    @property
    def jargon_list(self) -> list[str]:
        return parse_jargon(self.jargon_words)


def _attachment_path(instance, filename: str) -> str:
    # Stored under a random name: the member's file name never reaches the file system.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on a post. Served only through the attachment view, never from MEDIA_URL."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["post"], name="attachment_post_idx")]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def get_absolute_url(self) -> str:
        return reverse_args("attachment_download", self.pk, self.filename)


class TagFollow(models.Model):
    """A member follows a tag: its threads come first among the home page's waiting questions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_follows")
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also serves the home page's "tags this member follows" lookup by user.
            models.UniqueConstraint(fields=["user", "tag"], name="one_follow_per_user_per_tag"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows tag {self.tag_id}"


class AnnouncementDismissal(models.Model):
    """A member put an announcement away: the home page no longer shows it at the top."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_dismissals"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="dismissals")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also serves the home page's "not dismissed by this member" check per (user, thread).
            models.UniqueConstraint(fields=["user", "thread"], name="one_dismissal_per_user_per_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed announcement {self.thread_id}"
