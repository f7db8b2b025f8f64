"""Seams where other apps plug into posting, without forums importing them at
module load. Moderation decides whether a new post is held; notifications
queue email once a post is visible. Each starts as the simple rule and is
replaced by a call into the owning app as that app is built."""

from __future__ import annotations


def initial_post_status(*, author, community) -> str:
    """Published, or held for review (pre-moderation)."""
    from forums.models import Post

    try:
        from moderation.rules import post_needs_review
    except ImportError:
        return Post.Status.PUBLISHED
    return Post.Status.HELD if post_needs_review(author=author, community=community) else Post.Status.PUBLISHED


def held_post_note(*, author, community) -> str:
    """For a post being held: the reason its author is told (a pre-election period),
    or "" when it is the usual pre-moderation."""
    try:
        from moderation.rules import post_held_note
    except ImportError:
        return ""
    return post_held_note(author=author, community=community)


def on_post_published(post) -> None:
    """A post became visible: tell whoever wants to know (notifications, email)."""
    try:
        from notifications.events import post_published
    except ImportError:
        return
    post_published(post)


def posting_blocked_reason(*, author, community, action: str | None = None) -> str | None:
    """Why `author` may not post in `community` right now (a mute, a rate limit), as a
    sentence to show them, or None. Views check it before calling the services;
    `action` ("thread" or "reply") lets moderation apply the matching limit."""
    try:
        from moderation.rules import posting_blocked_reason as moderation_reason
    except ImportError:
        return None
    if action is None:
        return moderation_reason(author=author, community=community)
    return moderation_reason(author=author, community=community, action=action)


def on_post_held(post) -> None:
    """`post` waits for a facilitator (pre-moderation): tell the community's facilitators,
    and its author when a pre-election period held it (moderation.elections)."""
    try:
        from moderation.elections import on_post_held as tell_author
    except ImportError:
        pass
    else:
        tell_author(post)
    try:
        from notifications.events import review_item_added
    except ImportError:
        return
    review_item_added(post.thread.community)


def on_answer_accepted(thread, post) -> None:
    """`post` became the accepted answer of `thread`: tell its author."""
    try:
        from notifications.events import answer_accepted
    except ImportError:
        return
    answer_accepted(thread, post)


def on_post_mentioned(post, users) -> None:
    """`users` were newly @mentioned in a visible post: notify them."""
    try:
        from notifications.events import user_mentioned
    except ImportError:
        return
    user_mentioned(post, users)
