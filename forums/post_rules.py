"""What a member may do with one post: edit, delete, see its history, mark it helpful,
report it. Each builds on the community rules (communities.permissions) and on whether
the member may see the post (communities.visibility); they name the posts' states, so
they live here beside the posts."""

from __future__ import annotations

from communities.permissions import (
    can_moderate,
    can_post_in,
    can_view_post,
    is_banned,
    is_live,
)
from forums.models import Post


def can_edit_post(user, post: Post) -> bool:
    if post.status == Post.Status.DELETED or not can_view_post(user, post):
        return False
    if can_moderate(user, post.thread.community):
        return True
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and can_post_in(user, post.thread.community)
        and not post.thread.is_locked
    )


def can_change_post(user, post: Post) -> bool:
    """Edit a post now: can_edit_post, in a community that is not archived."""
    return is_live(post.thread.community) and can_edit_post(user, post)


def can_delete_post(user, post: Post) -> bool:
    """Authors delete their own posts; facilitators any post in their communities."""
    if post.status == Post.Status.DELETED or not is_live(post.thread.community) or not can_view_post(user, post):
        return False
    if can_moderate(user, post.thread.community):
        return True
    return user.is_authenticated and post.author_id == user.pk and can_post_in(user, post.thread.community)


def can_view_revisions(user, post: Post) -> bool:
    if not can_view_post(user, post):
        return False
    return (user.is_authenticated and post.author_id == user.pk) or can_moderate(user, post.thread.community)


def can_mark_helpful(user, post: Post) -> bool:
    """Anyone who may post in the community, on published posts other than their own."""
    if post.status != Post.Status.PUBLISHED or not can_view_post(user, post):
        return False
    return can_post_in(user, post.thread.community) and post.author_id != user.pk


def can_flag_post(user, post: Post) -> bool:
    """Report a post to the facilitators: approved members who can read it and are not
    banned from its community, for posts other than their own that are still shown."""
    if not (user.is_authenticated and user.is_approved) or not can_view_post(user, post):
        return False
    if post.status != Post.Status.PUBLISHED or post.author_id == user.pk:
        return False
    return not is_banned(user, post.thread.community)
