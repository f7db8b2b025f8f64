"""Posting's seam to moderation: the rules that decide whether a new post is held or
refused. Moderation registers them from its ready; with none registered, posting raises
rather than publishing everything (docs/architecture.md, "How a lower app talks to a
higher one")."""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

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
