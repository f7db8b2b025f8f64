"""Reads for forum pages. Other apps' pages (the community home) call these."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from taggit.models import Tag

from communities.models import Community, community_access
from communities.permissions import (
    can_moderate,
    can_post_in,
    can_view_post,
    can_view_thread,
    is_live,
)
from core.sql_rows import RowPart, fetch_instances
from forums.forms import ThreadFilterForm
from forums.listings import Listing, ThreadRows
from forums.models import (
    MAX_DISPLAY_DEPTH,
    CommunityForumSettings,
    Post,
    Thread,
    ThreadReadState,
)
from forums.outline import OutlinedPost, OutlineEntry, thread_outline, visible_entries

THREADS_PER_PAGE = 20
# Twenty a page, like every other list (and the peer forums the bench compares with).
REPLIES_PER_PAGE = 20
ORDERS = {"tree": "sort_path", "oldest": "created_at"}


# The largest id a bigint column holds.
MAX_ID = 2**63 - 1
# A community's long texts, which no thread or post page shows: left in the database.
UNSHOWN_COMMUNITY_FIELDS = ["description", "description_html", "guidelines", "guidelines_html", "decision_reason"]
# A thread and its community in one plain statement: every thread page and action
# loads them, and the ORM took six times longer to build the query than to read the row.
# The search vector is left out too (only search reads it).
THREAD_PART = RowPart(Thread, "thread", leave_out=["search_vector"])
THREAD_COMMUNITY_PART = RowPart(Community, "community", leave_out=UNSHOWN_COMMUNITY_FIELDS)
THREAD_SQL = f"""
    SELECT {THREAD_PART.select}, {THREAD_COMMUNITY_PART.select}
    FROM forums_thread thread JOIN communities_community community ON community.id = thread.community_id
    WHERE thread.id = %s
"""  # noqa: S608 - column names from the models, the id as a parameter


def get_thread_for(user, pk: int) -> Thread:
    """The thread, with its community, or 404 for anyone who may not see it."""
    # An id beyond bigint's range would be compared as a numeric, which scans every thread.
    loaded = fetch_instances(THREAD_SQL, [pk], [THREAD_PART, THREAD_COMMUNITY_PART]) if pk <= MAX_ID else None
    if loaded is None:
        raise Http404("No such thread")
    thread, thread.community = loaded
    if not can_view_thread(user, thread):
        raise Http404("No such thread")
    return thread


def get_post_for(user, pk: int) -> Post:
    """The post, or 404 for anyone who may not see it."""
    post = get_object_or_404(Post.objects.select_related("thread__community", "thread__author", "author"), pk=pk)
    if not can_view_post(user, post):
        raise Http404("No such post")
    return post


def _unread_only(threads, user):
    """Threads the member has not read since their last activity."""
    last_read = ThreadReadState.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_at")[:1]
    threads = threads.annotate(last_read_at=Subquery(last_read))
    return threads.filter(Q(last_read_at__isnull=True) | Q(last_read_at__lt=F("last_activity_at")))


def community_thread_list(request, community) -> dict:
    """Context for the thread list on a community's home page
    (rendered by templates/forums/_community_threads.html). `community` must be
    freshly loaded: its content_version keys the cached listing."""
    user = request.user
    form = ThreadFilterForm(request.GET or None, signed_in=user.is_authenticated)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}

    def threads():
        # Built only when the listing is not cached: the queryset alone costs more
        # than serving a cached page of rows.
        threads = Thread.objects.visible_to(user).filter(community=community)
        if filters.get("kind"):
            threads = threads.filter(kind=filters["kind"])
        if filters.get("tag"):
            threads = threads.filter(tags__slug=filters["tag"])
        if filters.get("unanswered"):
            threads = threads.filter(kind=Thread.Kind.QUESTION, accepted_answer__isnull=True)
        threads = threads.order_by("-is_pinned", "-last_activity_at", "-pk")
        return _unread_only(threads, user) if filters.get("unread") else threads

    if filters.get("unread"):
        listing = Listing(threads)  # the member's own: not cached
    else:
        # Everyone who may read the community sees the same threads, but for hidden
        # ones, which its moderators see too.
        access = community_access(user)
        moderates = access.readable is None or community.pk in access.moderated
        key = ":".join(
            str(part)
            for part in (
                "threads", community.pk, community.content_version, "moderator" if moderates else "reader",
                filters.get("kind") or "", filters.get("tag") or "", bool(filters.get("unanswered")),
            )
        )  # fmt: skip
        listing = Listing(threads, key)
    page_obj = Paginator(listing, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "thread_filter_form": form,
        "page_obj": page_obj,
        "thread_rows": ThreadRows(request, page_obj.object_list),
        "thread_list_community": community,
        "can_start_thread": can_post_in(user, community),
        "can_manage_tags": is_live(community) and can_moderate(user, community),
        "forum_settings_url": reverse("forum_settings", kwargs={"slug": community.slug}),
        "new_thread_url": reverse("thread_new", kwargs={"slug": community.slug}),
        "filtered": bool(filters and any(filters.values())),
    }


def tag_thread_list(request, tag_slug: str) -> dict:
    """Threads with a tag across the communities the viewer may see; 404 if none."""
    tag = Tag.objects.filter(slug=tag_slug).first()

    def threads():
        return Thread.objects.visible_to(request.user).filter(tags__slug=tag_slug).order_by("-last_activity_at", "-pk")

    page_obj = Paginator(Listing(threads), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    if tag is None or not page_obj.object_list:
        raise Http404("No threads with that tag")
    return {
        "tag": tag,
        "page_obj": page_obj,
        "thread_rows": ThreadRows(request, page_obj.object_list, show_community=True),
    }


def community_tags(community, user) -> tuple[list[str], list[str] | None]:
    """(tags on threads in the community that `user` may see, the allowed tag set or
    None if any tag goes)."""
    settings = CommunityForumSettings.objects.filter(community=community).first()
    if settings and settings.restrict_tags:
        return settings.allowed_tag_list, settings.allowed_tag_list
    visible = Thread.objects.visible_to(user).filter(community=community)
    used = Tag.objects.filter(thread__in=visible).values_list("name", flat=True).distinct().order_by("name")[:30]
    return list(used), None


def post_page_number(user, post: Post, order: str = "tree") -> int:
    """Which page of the thread shows `post` (the opening post is on every page)."""
    if post.is_opening:
        return 1
    field = ORDERS[order]
    earlier = Post.objects.visible_to(user).filter(thread_id=post.thread_id, parent__isnull=False)
    value = getattr(post, field)
    earlier = earlier.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": post.pk}))
    return earlier.count() // REPLIES_PER_PAGE + 1


# What decorate sets on each post.
DISPLAY_FACTS = ["display_depth", "is_accepted", "marked_helpful", "show_replying_to"]


def decorate(posts, thread: Thread, helpful_ids: set[int]) -> None:
    """Per-post display facts the template needs, computed without queries."""
    for post in posts:
        post.display_depth = min(post.depth, MAX_DISPLAY_DEPTH)
        post.is_accepted = post.pk == thread.accepted_answer_id
        post.marked_helpful = post.pk in helpful_ids
        post.show_replying_to = post.parent_id is not None and post.depth > 1


def member_thread_marks(user, thread: Thread, post_ids: list[int]) -> tuple[set[int], str | None, datetime | None]:
    """The member's helpful marks among `post_ids`, their watch or mute level for the
    thread (None: their usual choice) and when they last read it, in one query (in
    SQL: the ORM's way of asking three things at once costs more than the page's posts)."""
    sql = """
        SELECT ARRAY(SELECT post_id FROM forums_helpfulmark
                     WHERE user_id = %(user)s AND post_id = ANY(%(posts)s::bigint[])),
               (SELECT level FROM forums_threadsubscription WHERE user_id = %(user)s AND thread_id = %(thread)s),
               (SELECT last_read_at FROM forums_threadreadstate WHERE user_id = %(user)s AND thread_id = %(thread)s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user.pk, "thread": thread.pk, "posts": list(post_ids)})
        helpful, level, last_read_at = cursor.fetchone()
    return set(helpful), level, last_read_at


def thread_page(request, thread: Thread, order: str) -> dict:
    """The thread page's context: opening post, accepted answer and one page of replies
    (as OutlinedPosts: forums.thread_posts loads the posts themselves only when their HTML
    is not cached), and the member's marks, subscription and unread position."""
    user = request.user
    outline = thread_outline(thread)
    visible = visible_entries(user, thread, outline)
    # Tree order puts the opening post first, so this usually stops at once.
    opening = next((entry for entry in visible if entry.parent_id is None), None)
    if opening is None or opening is visible[0]:
        replies = visible[1:] if opening else visible
    else:  # a post whose tree path sorts before the opening one (one added in the admin)
        replies = tuple(entry for entry in visible if entry is not opening)
    if order == "oldest":
        replies = sorted(replies, key=attrgetter("created_at", "pk"))
    page_obj = Paginator(replies, REPLIES_PER_PAGE).get_page(request.GET.get("page"))
    accepted = None
    if thread.accepted_answer_id is not None:
        accepted = next((entry for entry in replies if entry.pk == thread.accepted_answer_id), None)
    page_obj.object_list = [OutlinedPost(entry, thread) for entry in page_obj.object_list]
    opening = opening and OutlinedPost(opening, thread)
    accepted = accepted and OutlinedPost(accepted, thread)
    shown = [post for post in [opening, accepted, *page_obj.object_list] if post is not None]
    helpful_ids, level, last_read_at = set(), None, None
    if user.is_authenticated:
        helpful_ids, level, last_read_at = member_thread_marks(user, thread, [post.pk for post in shown])
    decorate(shown, thread, helpful_ids)
    # From the outline, so it also finds a post held for review since their last visit,
    # which a facilitator sees but which does not move the thread's last_activity_at on.
    first_unread = first_unread_post(user, thread, last_read_at, visible) if last_read_at is not None else None
    # Up to date: nothing has happened since their last visit, so nothing to write down.
    read_up_to_date = last_read_at is not None and last_read_at >= thread.last_activity_at and first_unread is None
    return {
        "thread": thread,
        "community": thread.community,
        "tags": outline.tags,
        "opening": opening,
        "accepted": accepted,
        "replies": page_obj.object_list,
        "page_obj": page_obj,
        "order": order,
        "flat_order": order == "oldest",
        "subscription_level": level,
        "first_unread": first_unread,
        # Nothing has happened since the member last read it: no need to write that down again.
        "read_up_to_date": read_up_to_date,
    }


def first_unread_post(
    user, thread: Thread, last_read_at: datetime | None = None, visible: tuple[OutlineEntry, ...] | None = None
) -> OutlineEntry | None:
    """The earliest visible post by someone else since the member last read the thread
    (`last_read_at`: when that was, and `visible`: the posts they may read, if the
    caller knows already)."""
    if last_read_at is None:
        state = ThreadReadState.objects.filter(user=user, thread=thread).first()
        if state is None:
            return None
        last_read_at = state.last_read_at
    outline = thread_outline(thread)
    if outline.latest_created_at is None or outline.latest_created_at <= last_read_at:
        return None  # nothing posted since
    if visible is None:
        visible = visible_entries(user, thread, outline)
    me = user.pk
    unread = [entry for entry in visible if entry.created_at > last_read_at and entry.author_id != me]
    return min(unread, key=attrgetter("created_at", "pk"), default=None)
