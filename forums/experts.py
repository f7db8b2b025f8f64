""" "Who knows about this": the members whose answers under a tag were accepted or
marked helpful most in the last 12 months. Counted only from posts the viewer may
read (Post.objects.visible_to), so a private community's experts stay private, and
only members listed in the directory are named (members.selectors.listed_members)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F
from django.utils import timezone

from forums.models import HelpfulMark, Post, Thread
from members.models import User
from members.selectors import listed_members

EXPERT_WINDOW = datetime.timedelta(days=365)
EXPERTS_SHOWN = 5


@dataclass
class Expert:
    member: User
    accepted: int
    helpful: int

    @property
    def score(self) -> int:
        return self.accepted + self.helpful


def expert_scores(viewer, tag_slug: str, *, now: datetime.datetime | None = None) -> dict[int, tuple[int, int]]:
    """Member id → (accepted answers, helpful marks) under the tag in the last 12 months,
    for listed members, from what `viewer` may read. An answer counts by when it was
    written (when it was accepted is not stored); a helpful mark by when it was given."""
    since = (now or timezone.now()) - EXPERT_WINDOW
    tagged = Thread.objects.filter(tags__slug=tag_slug).values("pk")
    posts = Post.objects.visible_to(viewer).filter(
        thread_id__in=tagged, status=Post.Status.PUBLISHED, author__in=listed_members().values("pk")
    )
    accepted = (
        posts.filter(accepted_for__isnull=False, created_at__gte=since)
        .values("author_id")
        .annotate(count=Count("pk", distinct=True))
    )
    helpful = (
        HelpfulMark.objects.filter(post__in=posts.values("pk"), created_at__gte=since)
        .exclude(user_id=F("post__author_id"))  # nobody makes themselves an expert
        .values("post__author_id")
        .annotate(count=Count("pk"))
    )
    scores: dict[int, list[int]] = {}
    for row in accepted:
        scores.setdefault(row["author_id"], [0, 0])[0] = row["count"]
    for row in helpful:
        scores.setdefault(row["post__author_id"], [0, 0])[1] = row["count"]
    return {pk: (a, h) for pk, (a, h) in scores.items()}


def tag_experts(viewer, tag_slug: str, *, limit: int = EXPERTS_SHOWN, now=None) -> list[Expert]:
    """The top `limit` members for a tag: most accepted answers and helpful marks together,
    then most accepted answers, then by name."""
    scores = expert_scores(viewer, tag_slug, now=now)
    if not scores:
        return []
    members = {m.pk: m for m in listed_members().filter(pk__in=scores).select_related("organisation")}
    experts = [Expert(members[pk], *counts) for pk, counts in scores.items() if pk in members]
    experts.sort(key=lambda expert: (-expert.score, -expert.accepted, expert.member.name.lower(), expert.member.pk))
    return experts[:limit]


def expert_totals(viewer, tag_slug: str) -> dict[int, int]:
    """Member id → accepted answers and helpful marks together: the directory's order."""
    return {pk: accepted + helpful for pk, (accepted, helpful) in expert_scores(viewer, tag_slug).items()}
