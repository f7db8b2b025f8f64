"""The member directory's "knows most about a tag" order. The directory cannot read
the forums (a higher app), so the forums app hands over its scoring when it starts
(forums/apps.py registers forums.experts.expert_totals)."""

from __future__ import annotations

from collections.abc import Callable

_scorer: Callable[[object, str], dict[int, int]] | None = None


def register_expertise_scorer(scorer: Callable[[object, str], dict[int, int]]) -> None:
    global _scorer
    _scorer = scorer


def expertise_scores(viewer, tag_slug: str) -> dict[int, int]:
    """Member id → how much they know about the tag, from what `viewer` may read."""
    return {} if _scorer is None else _scorer(viewer, tag_slug)
