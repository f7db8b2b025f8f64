"""What the thread page lets the viewer do, worked out once per page from the rules
in communities.permissions and forums.post_rules (no queries per post: memberships are memoised)."""

from __future__ import annotations

from communities.permissions import (
    can_accept_answer,
    can_manage_thread,
    can_reply,
    can_watch_thread,
    can_write_short_answer,
)
from forums.models import Post, Thread
from forums.post_rules import can_change_post, can_delete_post, can_flag_post, can_mark_helpful, can_view_revisions
from forums.short_answers import default_review_by, is_due

# What post_permissions sets on each post.
PERMISSION_FACTS = [
    "can_edit",
    "can_delete",
    "can_see_revisions",
    "can_mark_helpful",
    "can_flag",
    "can_reply_to",
    "can_accept",
]


def post_permissions(user, post, thread: Thread, may_reply: bool, may_accept: bool) -> None:
    """What the viewer may do with `post` (a Post, or an OutlinedPost with the same
    attributes), set on it for the template."""
    post.thread = thread  # already loaded: saves a query per post
    post.can_edit = can_change_post(user, post)
    post.can_delete = can_delete_post(user, post)
    post.can_see_revisions = post.edited_at is not None and can_view_revisions(user, post)
    post.can_mark_helpful = can_mark_helpful(user, post)
    post.can_flag = can_flag_post(user, post)
    post.can_reply_to = may_reply and post.status == Post.Status.PUBLISHED
    post.can_accept = may_accept and not post.is_opening and post.status == Post.Status.PUBLISHED


def _rule_inputs(user, post) -> tuple:
    """All that the rules in post_permissions read of a post, once its thread is known."""
    own = user.is_authenticated and post.author_id == user.pk
    return (post.status, own, post.is_opening, post.edited_at is not None)


def shown_posts(context: dict) -> list:
    """The opening post, accepted answer and replies on a thread page, as far as there are any."""
    return [post for post in [context["opening"], context["accepted"], *context["replies"]] if post is not None]


def thread_permissions(user, thread: Thread, context: dict) -> dict:
    may_reply = can_reply(user, thread)
    may_accept = can_accept_answer(user, thread)
    may_write = can_write_short_answer(user, thread)
    # Posts the rules read alike get the same answers: ask the rules once for each.
    answered = {}
    for post in shown_posts(context):
        inputs = _rule_inputs(user, post)
        if inputs in answered:
            post.thread = thread
            for name in PERMISSION_FACTS:
                setattr(post, name, getattr(answered[inputs], name))
        else:
            post_permissions(user, post, thread, may_reply, may_accept)
            answered[inputs] = post
    return {
        "can_reply": may_reply,
        "can_accept": may_accept,
        "can_manage": can_manage_thread(user, thread),
        "can_watch": can_watch_thread(user, thread),
        "can_write_short_answer": may_write,
        # Depends on today: part of the page's key (views._thread_context) for those who act on it.
        "short_answer_due": may_write and is_due(thread),
        "next_review_by": default_review_by() if may_write else None,
    }


def held_message(what: str, post: Post) -> str:
    """What the author reads when their post is held: the stated reason when there is
    one (a pre-election period), else the usual pre-moderation sentence."""
    sentence = f"{what} is waiting for a facilitator to approve it."
    return f"{sentence} {post.moderation_reason}" if post.moderation_reason else sentence
