"""Posting's seams: the rules that decide whether a new post is held or refused (moderation
registers them from its ready; none registered raises rather than publishing everything),
and the events sent once a post's fate is known (docs/architecture.md, "How a lower app
talks to a higher one")."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from forums import events
from forums.models import Post


class PostingRules(Protocol):
    """What moderation/rules.py provides (the module itself is registered)."""

    def post_needs_review(self, *, author, community) -> bool: ...

    def post_held_note(self, *, author, community) -> str: ...

    def posting_blocked_reason(self, *, author, community, action: str = ...) -> str | None: ...


_rules: PostingRules | None = None


def register_posting_rules(rules: PostingRules) -> None:
    """Moderation's rules for every new post; called once from ModerationConfig.ready."""
    global _rules
    _rules = rules


def _registered() -> PostingRules:
    if _rules is None:
        raise ImproperlyConfigured("No posting rules registered: is the moderation app installed?")
    return _rules


def initial_post_status(*, author, community) -> str:
    """Published, or held for review (pre-moderation)."""
    held = _registered().post_needs_review(author=author, community=community)
    return Post.Status.HELD if held else Post.Status.PUBLISHED


def held_post_note(*, author, community) -> str:
    """For a post being held: the reason its author is told (a pre-election period),
    or "" when it is the usual pre-moderation."""
    return _registered().post_held_note(author=author, community=community)


def posting_blocked_reason(*, author, community, action: str | None = None) -> str | None:
    """Why `author` may not post in `community` right now (a mute, a rate limit), as a
    sentence to show them, or None. `action` ("thread" or "reply") applies the matching
    limit."""
    rules = _registered()
    if action is None:
        return rules.posting_blocked_reason(author=author, community=community)
    return rules.posting_blocked_reason(author=author, community=community, action=action)


def on_post_published(post) -> None:
    """A post became visible (after commit)."""
    events.post_published.send(sender=Post, post=post)


def on_post_held(post) -> None:
    """`post` waits for a facilitator (after commit)."""
    events.post_held.send(sender=Post, post=post)


def on_answer_accepted(thread, post) -> None:
    """`post` became the accepted answer of `thread` (after commit)."""
    events.answer_accepted.send(sender=Post, thread=thread, post=post)


def on_post_mentioned(post, users) -> None:
    """`users` were newly @mentioned in a visible post (after commit)."""
    events.users_mentioned.send(sender=Post, post=post, users=users)
