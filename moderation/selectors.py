"""Reads for moderation pages: the review queue, the header counts, the log."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, When

from communities.models import Community, community_access
from forums.models import Post
from moderation.election_models import HOLD_PREFIX
from moderation.models import Flag, MemberSanction, ModerationAction

QUEUE_PAGE_SIZE = 20
LOG_PAGE_SIZE = 20


@dataclass
class WaitingCounts:
    """What waits for `user` in review queues: a total and, for facilitators, where."""

    total: int = 0
    site_wide: bool = False
    communities: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.total > 0


def waiting_counts_for(user) -> WaitingCounts:
    """Held posts and open flags the user may deal with: two queries for moderators,
    none for anyone else (community_access is memoised for the request)."""
    if not user.is_authenticated:
        return WaitingCounts()
    mine = community_access(user).moderated
    if not (mine or user.is_site_admin):
        return WaitingCounts()
    held = Post.objects.filter(status=Post.Status.HELD)
    flags = Flag.objects.filter(status=Flag.Status.OPEN)
    if user.is_site_admin:
        return WaitingCounts(total=held.count() + flags.count(), site_wide=True)
    per_community: dict[str, dict] = {}
    rows = list(
        held.filter(thread__community__in=mine)
        .values(slug=F("thread__community__slug"), name=F("thread__community__name"))
        .annotate(n=Count("pk"))
    ) + list(
        flags.filter(community__in=mine)
        .values(slug=F("community__slug"), name=F("community__name"))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        entry = per_community.setdefault(row["slug"], {"slug": row["slug"], "name": row["name"], "count": 0})
        entry["count"] += row["n"]
    communities = sorted(per_community.values(), key=lambda entry: entry["name"])
    return WaitingCounts(total=sum(entry["count"] for entry in communities), communities=communities)


def held_by_period() -> Q:
    """Posts a pre-election period held (moderation/elections.py): a queue of their own."""
    return Q(status=Post.Status.HELD, moderation_reason__startswith=HOLD_PREFIX)


def queue_posts(*, user, community: Community | None = None, pre_election: bool = False) -> QuerySet:
    """Posts waiting for a decision (held, or with open flags), oldest wait first,
    among those `user` may see (the views check they moderate the community). With
    `pre_election`, only the posts a pre-election period held; without, all others."""
    open_flags = Flag.objects.filter(post=OuterRef("pk"), status=Flag.Status.OPEN)
    posts = Post.objects.visible_to(user).filter(Q(status=Post.Status.HELD) | Exists(open_flags))
    posts = posts.filter(held_by_period()) if pre_election else posts.exclude(held_by_period())
    if community is not None:
        posts = posts.filter(thread__community=community)
    oldest_flag = Min("flags__created_at", filter=Q(flags__status=Flag.Status.OPEN))
    return (
        posts.annotate(oldest_flag_at=oldest_flag)
        .annotate(waiting_since=Case(When(status=Post.Status.HELD, then="created_at"), default="oldest_flag_at"))
        .select_related("thread", "thread__community", "author", "parent__author")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.select_related("reporter").order_by("created_at")))
        .order_by("waiting_since", "pk")
    )


def _attach_context(posts: list[Post]) -> None:
    """Each queue item's author history in its community, in two grouped queries."""
    pairs = {(post.author_id, post.thread.community_id) for post in posts if post.author_id}
    if not pairs:
        return
    authors = {author for author, _ in pairs}
    communities = {community for _, community in pairs}
    history: dict[tuple, dict] = defaultdict(lambda: {"published": 0, "hidden": 0, "held": 0, "upheld_flags": 0})
    for row in (
        Post.objects.filter(author__in=authors, thread__community__in=communities)
        .values("author_id", "thread__community_id", "status")
        .annotate(n=Count("pk"))
    ):
        history[(row["author_id"], row["thread__community_id"])][row["status"]] = row["n"]
    for row in (
        Flag.objects.filter(post__author__in=authors, community__in=communities, status=Flag.Status.UPHELD)
        .values("post__author_id", "community_id")
        .annotate(n=Count("pk"))
    ):
        history[(row["post__author_id"], row["community_id"])]["upheld_flags"] = row["n"]
    for post in posts:
        post.author_history = history[(post.author_id, post.thread.community_id)]
        post.open_flags = [flag for flag in post.flags.all() if flag.status == Flag.Status.OPEN]
        post.previous_flags = [flag for flag in post.flags.all() if flag.status != Flag.Status.OPEN]


def review_queue_page(*, user, community: Community | None, page_number, pre_election: bool = False) -> Page:
    """One page of the review queue with its context, in a fixed number of queries."""
    posts = queue_posts(user=user, community=community, pre_election=pre_election)
    page = Paginator(posts, QUEUE_PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    _attach_context(page.object_list)
    return page


def pre_election_waiting(*, user, community: Community | None) -> int:
    """How many posts wait in the pre-election queue (linked from the main queue)."""
    posts = Post.objects.visible_to(user).filter(held_by_period())
    if community is not None:
        posts = posts.filter(thread__community=community)
    return posts.count()


def member_sanctions(*, community: Community, user) -> QuerySet:
    return MemberSanction.objects.filter(community=community, user=user).select_related("created_by")


def log_entries(*, community: Community | None = None, filters: dict | None = None) -> QuerySet:
    """The moderation log, newest first, optionally narrowed by the log filter form."""
    entries = ModerationAction.objects.select_related("actor", "community")
    if community is not None:
        entries = entries.filter(community=community)
    filters = filters or {}
    if filters.get("community"):
        entries = entries.filter(community=filters["community"])
    if filters.get("actor"):
        entries = entries.filter(actor__username__iexact=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("date_from"):
        entries = entries.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(created_at__date__lte=filters["date_to"])
    return entries.order_by("-created_at", "-pk")


def own_moderated_posts(user) -> QuerySet:
    """The member's posts waiting for approval or hidden, newest first, in communities
    they can still see."""
    return (
        Post.objects.filter(
            author=user,
            status__in=[Post.Status.HELD, Post.Status.HIDDEN],
            thread__community__in=Community.objects.visible_to(user),
        )
        .select_related("thread__community")
        .order_by("-created_at", "-pk")
    )
