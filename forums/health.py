"""Is a community alive? Figures for its facilitators (the health page, the weekly email)
and for site admins (every community in one table). Each is an SQL aggregate grouped by
community, so one community or all cost the same queries; each is defined once, below."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Extract, TruncWeek
from django.utils import timezone

from communities.models import Community, Membership
from forums.models import Post, Thread

PERIODS = (7, 30, 90)
# A question is on the facilitators' to-do list once it has waited this long.
WAITING_AFTER = timedelta(hours=48)
WAITING_LISTED = 50
WEEKS_CHARTED = 12
TOP_HELPERS = 5
HELPERS_PERIOD = 90
COUNTS = ("new_members", "active_members", "new_threads", "replies", "questions", "answered")


class Median(Aggregate):
    """PostgreSQL's exact median (the mean of the middle two for an even count)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Figure:
    """A figure for a period and for the period before it."""

    value: float | int | None
    previous: float | int | None

    @property
    def change(self) -> float | int | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class PeriodFigures:
    days: int
    new_members: Figure  # active memberships whose joined_at falls in the period
    active_members: Figure  # people who wrote a published post (a thread or a reply)
    new_threads: Figure  # threads not hidden (a held opening post keeps its thread hidden)
    replies: Figure  # published replies in threads not hidden
    questions: Figure  # threads of kind question
    # Per cent of questions with an accepted answer or a published reply by someone
    # other than the asker; None when no questions were asked.
    answered_share: Figure
    # Seconds from a question to its first reply by someone else, median over the
    # questions that had one; None when none had.
    median_first_reply: Figure


@dataclass
class Health:
    community: Community
    periods: dict[int, PeriodFigures]
    waiting: list[Thread] = field(default_factory=list)
    helpers: list[dict] = field(default_factory=list)
    weeks: list[dict] = field(default_factory=list)


def _windows(now: datetime) -> dict[str, tuple[datetime, datetime]]:
    """Each period ("7") and the one before it ("7_before"), as [start, end)."""
    windows = {}
    for days in PERIODS:
        span = timedelta(days=days)
        windows[f"{days}"] = (now - span, now)
        windows[f"{days}_before"] = (now - 2 * span, now - span)
    return windows


def _within(column: str, window: tuple[datetime, datetime]) -> Q:
    start, end = window
    return Q(**{f"{column}__gte": start, f"{column}__lt": end})


def _only(queryset, column: str, community_ids):
    return queryset if community_ids is None else queryset.filter(**{f"{column}__in": community_ids})


def _first_reply_by_someone_else():
    """When a thread first had a published reply from someone other than its author."""
    replies = Post.objects.filter(thread=OuterRef("pk"), parent__isnull=False, status=Post.Status.PUBLISHED)
    replies = replies.exclude(author_id=OuterRef("author_id")).order_by("created_at")
    return Subquery(replies.values("created_at")[:1])


def raw_figures(community_ids: list[int] | None, now: datetime, *, members: bool = True) -> dict[int, dict]:
    """{community id: {"new_members_7": n, "new_members_7_before": n, …}} for the given
    communities (None: all), in three queries (memberships, posts, threads; two without
    `members`). Served by membership_joined_idx, post_created_idx with
    post_chronological_idx, and thread_community_created_idx."""
    windows = _windows(now)
    oldest = now - timedelta(days=2 * max(PERIODS))
    figures: dict[int, dict] = {}
    groups = [_post_figures, _thread_figures]
    if members:
        groups.insert(0, _member_figures)
    for group in groups:
        for community_id, row in group(community_ids, windows, oldest):
            figures.setdefault(community_id, {}).update(row)
    return figures


def _member_figures(community_ids, windows, oldest):
    members = Membership.objects.filter(status=Membership.Status.ACTIVE, joined_at__gte=oldest)
    members = _only(members, "community_id", community_ids)
    counts = {f"new_members_{name}": Count("pk", filter=_within("joined_at", w)) for name, w in windows.items()}
    for row in members.order_by().values("community_id").annotate(**counts):
        yield row.pop("community_id"), row


def _post_figures(community_ids, windows, oldest):
    posts = Post.objects.filter(status=Post.Status.PUBLISHED, thread__is_hidden=False, created_at__gte=oldest)
    posts = _only(posts, "thread__community_id", community_ids)
    counts = {}
    for name, w in windows.items():
        counts[f"active_members_{name}"] = Count("author_id", distinct=True, filter=_within("created_at", w))
        counts[f"replies_{name}"] = Count("pk", filter=_within("created_at", w) & Q(parent__isnull=False))
    for row in posts.order_by().values(cid=F("thread__community_id")).annotate(**counts):
        yield row.pop("cid"), row


def _thread_figures(community_ids, windows, oldest):
    threads = _only(Thread.objects.filter(is_hidden=False, created_at__gte=oldest), "community_id", community_ids)
    threads = threads.annotate(first_reply_at=_first_reply_by_someone_else())
    wait = ExpressionWrapper(F("first_reply_at") - F("created_at"), output_field=DurationField())
    question = Q(kind=Thread.Kind.QUESTION)
    answered = question & (Q(accepted_answer__isnull=False) | Q(first_reply_at__isnull=False))
    counts = {}
    for name, w in windows.items():
        inside = _within("created_at", w)
        counts[f"new_threads_{name}"] = Count("pk", filter=inside)
        counts[f"questions_{name}"] = Count("pk", filter=inside & question)
        counts[f"answered_{name}"] = Count("pk", filter=inside & answered)
        counts[f"median_{name}"] = Median(
            Extract(wait, "epoch"), filter=inside & question & Q(first_reply_at__isnull=False)
        )
    for row in threads.order_by().values("community_id").annotate(**counts):
        yield row.pop("community_id"), row


def _share(answered: int, asked: int) -> float | None:
    return None if not asked else round(100 * answered / asked, 1)


def period_figures(raw: dict, days: int) -> PeriodFigures:
    """One period's figures against the period before, from raw_figures' row."""

    def pair(name: str) -> Figure:
        return Figure(raw.get(f"{name}_{days}", 0), raw.get(f"{name}_{days}_before", 0))

    return PeriodFigures(
        days=days,
        new_members=pair("new_members"),
        active_members=pair("active_members"),
        new_threads=pair("new_threads"),
        replies=pair("replies"),
        questions=pair("questions"),
        answered_share=Figure(
            _share(raw.get(f"answered_{days}", 0), raw.get(f"questions_{days}", 0)),
            _share(raw.get(f"answered_{days}_before", 0), raw.get(f"questions_{days}_before", 0)),
        ),
        median_first_reply=Figure(raw.get(f"median_{days}"), raw.get(f"median_{days}_before")),
    )


def unreplied_questions(now: datetime):
    """Questions, not hidden, with no accepted answer and no reply by anyone but the
    asker, asked more than WAITING_AFTER ago."""
    others = Post.objects.filter(thread=OuterRef("pk"), parent__isnull=False, status=Post.Status.PUBLISHED)
    others = others.exclude(author_id=OuterRef("author_id"))
    return Thread.objects.filter(
        kind=Thread.Kind.QUESTION,
        is_hidden=False,
        accepted_answer__isnull=True,
        created_at__lte=now - WAITING_AFTER,
    ).filter(~Exists(others))


def waiting_questions(community: Community, now: datetime) -> list[Thread]:
    """The facilitators' to-do list, longest waiting first (at most WAITING_LISTED + 1,
    so the page can say there are more)."""
    waiting = unreplied_questions(now).filter(community=community).select_related("author")
    return list(waiting.order_by("created_at", "pk")[: WAITING_LISTED + 1])


def waiting_counts(community_ids: list[int] | None, now: datetime) -> dict[int, int]:
    """How many questions wait in each community, in one query."""
    waiting = _only(unreplied_questions(now), "community_id", community_ids)
    return dict(waiting.order_by().values_list("community_id").annotate(n=Count("pk")))


def top_helpers(community: Community, now: datetime) -> list[dict]:
    """Who helped most in the last HELPERS_PERIOD days: accepted answers, then helpful
    marks, on their published replies written in that time."""
    accepted = Thread.objects.filter(accepted_answer=OuterRef("pk"))
    replies = Post.objects.filter(
        thread__community=community,
        thread__is_hidden=False,
        status=Post.Status.PUBLISHED,
        parent__isnull=False,
        author__isnull=False,
        created_at__gte=now - timedelta(days=HELPERS_PERIOD),
    )
    rows = (
        replies.order_by()
        .values("author_id", "author__username", "author__display_name")
        .annotate(
            # Distinct: the join with helpful marks repeats a post once per mark.
            accepted=Count("pk", distinct=True, filter=Exists(accepted)),
            helpful=Count("helpful_marks__pk", distinct=True),
        )
        .filter(Q(accepted__gt=0) | Q(helpful__gt=0))
        .order_by("-accepted", "-helpful", "author__display_name", "author_id")
    )
    return [
        {
            "username": row["author__username"],
            "name": row["author__display_name"] or row["author__username"],
            "accepted": row["accepted"],
            "helpful": row["helpful"],
        }
        for row in rows[:TOP_HELPERS]
    ]


def week_start(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    return (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def weekly_activity(community: Community, now: datetime) -> list[dict]:
    """Published posts and the people who wrote them, each week (Monday to Sunday, in
    the site's time zone) for the last WEEKS_CHARTED weeks, oldest first, empty weeks
    included."""
    first = week_start(now) - timedelta(weeks=WEEKS_CHARTED - 1)
    posts = Post.objects.filter(
        thread__community=community, thread__is_hidden=False, status=Post.Status.PUBLISHED, created_at__gte=first
    )
    rows = (
        posts.order_by()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(posts=Count("pk"), people=Count("author_id", distinct=True))
    )
    by_week = {timezone.localtime(row["week"]).date(): row for row in rows}
    weeks = []
    for number in range(WEEKS_CHARTED):
        start = (first + timedelta(weeks=number)).date()
        row = by_week.get(start, {})
        weeks.append({"start": start, "posts": row.get("posts", 0), "people": row.get("people", 0)})
    return weeks


def community_health(community: Community, now: datetime | None = None) -> Health:
    """Everything the health page shows: six queries, whatever the community's size."""
    now = now or timezone.now()
    raw = raw_figures([community.pk], now).get(community.pk, {})
    return Health(
        community=community,
        periods={days: period_figures(raw, days) for days in PERIODS},
        waiting=waiting_questions(community, now),
        helpers=top_helpers(community, now),
        weeks=weekly_activity(community, now),
    )


@dataclass
class CommunityRow:
    """One community's line in the site admins' table."""

    community: Community
    figures: PeriodFigures
    waiting: int


def all_communities(days: int, now: datetime | None = None) -> list[CommunityRow]:
    """Every active or archived community's figures for one period: five queries."""
    now = now or timezone.now()
    communities = list(
        Community.objects.filter(status__in=[Community.Status.ACTIVE, Community.Status.ARCHIVED])
        .only("pk", "name", "slug", "status", "member_count")
        .order_by("name")
    )
    raw = raw_figures(None, now)
    waiting = waiting_counts(None, now)
    return [CommunityRow(c, period_figures(raw.get(c.pk, {}), days), waiting.get(c.pk, 0)) for c in communities]


def signs_of_life(community_ids: list[int], now: datetime | None = None) -> dict[int, PeriodFigures]:
    """The directory's line: the last 30 days' figures (but new members) for the
    communities listed, in two queries."""
    now = now or timezone.now()
    if not community_ids:
        return {}
    raw = raw_figures(community_ids, now, members=False)
    return {pk: period_figures(raw.get(pk, {}), 30) for pk in community_ids}


def duration_words(seconds: float | None) -> str:
    """A wait in plain words: "45 minutes", "3 hours 20 minutes", "2 days 4 hours"."""
    if seconds is None:
        return "No replies"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''}" + (
            f" {minutes} minute{'s' if minutes != 1 else ''}" if minutes else ""
        )
    days, hours = divmod(hours, 24)
    return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} hour{'s' if hours != 1 else ''}" if hours else "")
