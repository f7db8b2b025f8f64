"""The posts on a thread page as HTML, made for each request: the posts the outline chose,
loaded in one query (the columns shown, authors' names, files) and rendered with Jinja2.
The HTML holds no CSRF token: the posts' buttons submit the page's one "post-actions"
form (HTML's form attribute), rendered for each request."""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection
from django.template.loader import get_template

from communities.page_cache import cache_key_for
from core.fast_reverse import reverse_args
from core.jinja2 import render_jinja2
from forums.selectors import DISPLAY_FACTS
from forums.view_helpers import PERMISSION_FACTS, shown_posts
from members.models import User, person_name

# Facts about each post for this viewer on this page: what selectors.decorate and
# view_helpers.post_permissions set on it.
POST_FACTS = [*DISPLAY_FACTS, *PERMISSION_FACTS]
# What the outline already knows of each post.
OUTLINE_FACTS = ["pk", "parent_id", "depth", "status", "created_at", "edited_at", "is_opening"]

_PERSON = ["display_name", "first_name", "last_name", "username", "erased_at"]
# One plain statement for the posts, their authors' and parents' authors' names and
# their files: built through the ORM, the query took longer to make than to answer.
# The ids come from the thread's outline, already filtered by permissions.can_view_post.
POSTS_SQL = f"""
    SELECT post.id, post.body_html, post.archived_author_name, post.moderation_reason, post.helpful_count,
           post.author_id, {", ".join(f"author.{name}" for name in _PERSON)}, author.status, author.is_active,
           {", ".join(f"parent_author.{name}" for name in _PERSON)},
           (SELECT json_agg(json_build_array(file.id, file.filename, file.size) ORDER BY file.id)
            FROM forums_attachment file WHERE file.post_id = post.id)
    FROM forums_post post
    LEFT JOIN members_user author ON author.id = post.author_id
    LEFT JOIN forums_post parent ON parent.id = post.parent_id
    LEFT JOIN members_user parent_author ON parent_author.id = parent.author_id
    WHERE post.thread_id = %s AND post.id = ANY(%s)
"""  # noqa: S608 - column names written here, the ids as parameters


class Author(NamedTuple):
    name: str
    username: str
    is_erased: bool
    is_approved: bool

    @property
    def profile_url(self) -> str:
        return reverse_args("member_profile", self.username)


class File(NamedTuple):
    pk: int
    filename: str
    size: int

    @property
    def url(self) -> str:
        return reverse_args("attachment_download", self.pk, self.filename)


class PostView:
    """One post as the thread page shows it: its columns, the outline's facts and what
    the viewer may do with it."""

    def __init__(self, outlined, row: tuple):
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
        self.files = [File(*file) for file in row[18] or ()]


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
    return cache_key_for(facts)


def _post_views(thread, outlined: list) -> dict[int, PostView]:
    """The posts in `outlined` (which the viewer may read), loaded with what the page shows."""
    with connection.cursor() as cursor:
        cursor.execute(POSTS_SQL, [thread.pk, [post.pk for post in outlined]])
        rows = {row[0]: row for row in cursor.fetchall()}
    return {post.pk: PostView(post, rows[post.pk]) for post in outlined if post.pk in rows}


def thread_posts_html(request, context: dict) -> str:
    """The opening post, accepted answer, one page of replies and the pagination, for
    the thread page's `context` (from selectors.thread_page and
    view_helpers.thread_permissions)."""
    user = request.user
    posts = _post_views(context["thread"], shown_posts(context))

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
    return render_jinja2("forums/thread_posts.html", page)
