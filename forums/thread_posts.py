"""The posts on a thread page as HTML, shared by everyone who would see the same.

That HTML depends on the thread's content_version, the page asked for and, for each
post on it, what the viewer may do with it (POST_FACTS). Viewers for whom all of that
is the same (most members reading a thread they have not posted in) share one copy,
and the posts are loaded from the database only to render a copy nobody has yet.

The HTML holds no CSRF token: the post actions' buttons submit the page's one
"post-actions" form (HTML's form attribute), which is rendered for each request.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from communities.page_cache import cached_for_viewer, fingerprint
from forums.forms import ThreadPageForm
from forums.selectors import DISPLAY_FACTS, thread_posts
from forums.view_helpers import PERMISSION_FACTS, shown_posts

# Facts about each post for this viewer on this page: what selectors.decorate and
# view_helpers.post_permissions set on it.
POST_FACTS = [*DISPLAY_FACTS, *PERMISSION_FACTS]


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


def _render(request, context: dict) -> str:
    """Render the posts: load those in the outline and give each the facts worked out for it."""
    outlined = shown_posts(context)
    posts = thread_posts(request.user, [post.pk for post in outlined])
    for outlined_post in outlined:
        post = posts.get(outlined_post.pk)
        if post is not None:
            post.thread = context["thread"]
            for name in POST_FACTS:
                setattr(post, name, getattr(outlined_post, name))

    def loaded(post):
        return posts.get(post.pk) if post is not None else None

    replies = [posts[post.pk] for post in context["replies"] if post.pk in posts]
    page = {**context, "opening": loaded(context["opening"]), "accepted": loaded(context["accepted"])}
    page["replies"] = replies
    return render_to_string("forums/_thread_posts.html", page, request=request)


def thread_posts_html(request, context: dict, viewer: str) -> str:
    """The opening post, accepted answer, one page of replies and the pagination, for
    the thread page's `context` (from selectors.thread_page and
    view_helpers.thread_permissions); `viewer` is posts_viewer's answer for it."""
    thread = context["thread"]
    return cached_for_viewer(
        request,
        f"thread-posts:{thread.pk}",
        lambda: _render(request, context),
        params=ThreadPageForm.base_fields,
        version=str(thread.content_version),
        viewer=viewer,
    )
