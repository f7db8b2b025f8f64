"""The posts on a thread page as HTML, made for each request.

The page's outline (forums.outline) has chosen the posts and view_helpers worked out
what the viewer may do with each; this loads only the columns the posts show (two
queries: the posts with their authors' names, and their files) and renders them
with Jinja2 (templates/jinja2/forums/thread_posts.html), which makes a page of
twenty posts several times faster than Django's engine did with an include per post.

The HTML holds no CSRF token: the post actions' buttons submit the page's one
"post-actions" form (HTML's form attribute), which is rendered for each request.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from django.template import engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe

from communities.page_cache import fingerprint
from forums.models import Attachment, Post
from forums.selectors import DISPLAY_FACTS
from forums.view_helpers import PERMISSION_FACTS, shown_posts
from members.models import User, person_name

# Facts about each post for this viewer on this page: what selectors.decorate and
# view_helpers.post_permissions set on it.
POST_FACTS = [*DISPLAY_FACTS, *PERMISSION_FACTS]
# What the outline already knows of each post.
OUTLINE_FACTS = ["pk", "parent_id", "depth", "status", "created_at", "edited_at", "is_opening"]

_PERSON = ["display_name", "first_name", "last_name", "username", "erased_at"]
COLUMNS = [
    "pk", "body_html", "archived_author_name", "moderation_reason", "helpful_count",
    "author_id", *(f"author__{name}" for name in _PERSON), "author__status", "author__is_active",
    *(f"parent__author__{name}" for name in _PERSON),
]  # fmt: skip


class Author(NamedTuple):
    name: str
    username: str
    is_erased: bool
    is_approved: bool

    @property
    def profile_url(self) -> str:
        return reverse("member_profile", args=[self.username])


class File(NamedTuple):
    pk: int
    filename: str
    size: int

    @property
    def url(self) -> str:
        return reverse("attachment_download", kwargs={"pk": self.pk, "filename": self.filename})


class PostView:
    """One post as the thread page shows it: its columns, the outline's facts and what
    the viewer may do with it."""

    def __init__(self, outlined, row: tuple, files: list[File]):
        for name in OUTLINE_FACTS + POST_FACTS:
            setattr(self, name, getattr(outlined, name))
        _, self.body_html, self.archived_author_name, self.moderation_reason, self.helpful_count = row[:5]
        author_id, display, first, last, username, erased_at, status, is_active = row[5:13]
        self.author = None
        if author_id is not None:
            name = person_name(display, first, last, username, erased_at)
            approved = is_active and status == User.Status.APPROVED
            self.author = Author(name, username, erased_at is not None, approved)
        self.author_name = self.author.name if self.author else ""
        parent = row[13:18]
        self.parent_author_name = person_name(*parent) if parent[3] is not None else ""
        self.files = files


def posts_viewer(user, context: dict) -> str:
    """Everything the posts' HTML shows that depends on who is asking."""
    facts = [
        user.is_authenticated,
        user.is_authenticated and user.is_approved,
        user.is_authenticated and user.is_site_admin,
        context["can_manage"],
        # The page links: how many replies this viewer may see, and which page this is.
        context["page_obj"].paginator.count,
        context["page_obj"].number,
        [(post.pk, *(getattr(post, name) for name in POST_FACTS)) for post in shown_posts(context)],
    ]
    return fingerprint(facts)


def _post_views(user, outlined: list) -> dict[int, PostView]:
    """The visible posts among `outlined`, loaded with what the page shows."""
    pks = [post.pk for post in outlined]
    rows = {row[0]: row for row in Post.objects.visible_to(user).filter(pk__in=pks).values_list(*COLUMNS)}
    files = defaultdict(list)
    for pk, post_id, filename, size in Attachment.objects.filter(post_id__in=list(rows)).values_list(
        "pk", "post_id", "filename", "size"
    ):
        files[post_id].append(File(pk, filename, size))
    return {post.pk: PostView(post, rows[post.pk], files[post.pk]) for post in outlined if post.pk in rows}


def thread_posts_html(request, context: dict) -> str:
    """The opening post, accepted answer, one page of replies and the pagination, for
    the thread page's `context` (from selectors.thread_page and
    view_helpers.thread_permissions)."""
    user = request.user
    posts = _post_views(user, shown_posts(context))

    def loaded(post):
        return posts.get(post.pk) if post is not None else None

    page_obj = context["page_obj"]
    pagination = ""
    if page_obj.paginator.num_pages > 1:
        # No context processors: the pagination reads only the page and the query string.
        pagination = get_template("includes/pagination.html").render({"page_obj": page_obj, "request": request})
    page = {
        "thread": context["thread"],
        "opening": loaded(context["opening"]),
        "accepted": loaded(context["accepted"]),
        "replies": [posts[post.pk] for post in context["replies"] if post.pk in posts],
        "order": context["order"],
        "flat_order": context["flat_order"],
        "can_manage": context["can_manage"],
        "may_see_profiles": user.is_authenticated and (user.is_approved or user.is_site_admin),
        "pagination": pagination,
    }
    # Jinja2 has escaped all it was given (autoescape), so Django may include it as it is.
    return mark_safe(engines["jinja2"].get_template("forums/thread_posts.html").render(page))  # noqa: S308
