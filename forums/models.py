from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from communities.models import Community, Membership

# How deep the tree is indented; deeper replies sit under their ancestor at this depth.
MAX_DISPLAY_DEPTH = 4
# Each ancestor's id, zero-padded, makes the sort path: ordering by it gives the tree.
SORT_PATH_WIDTH = 10


def _moderated_communities(user):
    return Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.FACILITATOR, Membership.Role.OWNER],
    ).values("community_id")


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ThreadQuerySet":
        """Threads `user` may read: in a community they may see, and not hidden
        unless they moderate it. Mirrors permissions.can_view_thread."""
        threads = self.filter(community__in=Community.objects.visible_to(user))
        if user.is_authenticated and user.is_site_admin:
            return threads
        if user.is_authenticated:
            return threads.filter(Q(is_hidden=False) | Q(community__in=_moderated_communities(user)))
        return threads.filter(is_hidden=False)


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
    accepted_answer = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_for"
    )
    tags = TaggableManager(blank=True)
    # Kept by PostgreSQL itself, so search never has to compute it from rows.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config="english", weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [
            # A community's thread list: pinned first, then by last activity.
            models.Index(fields=["community", "-is_pinned", "-last_activity_at"], name="thread_list_idx"),
            # Cross-community lists (home, tag pages) by activity.
            models.Index(fields=["-last_activity_at"], name="thread_activity_idx"),
            GinIndex(fields=["search_vector"], name="thread_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "thread"
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return self.accepted_answer_id is not None

    def get_absolute_url(self) -> str:
        return reverse("thread_detail", kwargs={"pk": self.pk, "slug": self.slug})


class PostQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PostQuerySet":
        """Posts `user` may read: in threads they may see; held and hidden posts only
        for moderators (and a held post for its author). Mirrors permissions.can_view_post."""
        posts = self.filter(thread__in=Thread.objects.visible_to(user))
        if user.is_authenticated and user.is_site_admin:
            return posts
        shown = Q(status__in=[Post.Status.PUBLISHED, Post.Status.DELETED])
        if user.is_authenticated:
            shown |= Q(status=Post.Status.HELD, author=user)
            shown |= Q(thread__community__in=_moderated_communities(user))
        return posts.filter(shown)


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
    search_vector = models.GeneratedField(
        expression=SearchVector("body", config="english", weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            # The thread page in tree order, and in date order.
            models.Index(fields=["thread", "sort_path"], name="post_tree_idx"),
            models.Index(fields=["thread", "created_at"], name="post_chronological_idx"),
            # A member's recent posts (profiles).
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            GinIndex(fields=["search_vector"], name="post_search_idx"),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    @property
    def is_opening(self) -> bool:
        return self.parent_id is None

    def get_absolute_url(self) -> str:
        return reverse("post_redirect", kwargs={"pk": self.pk})
