"""Pre-election periods (purdah): the hold rule (asked by moderation.rules, so web and email
hold the same posts), the banner's facts, and the writes. A start or end is logged once,
when first observed (the daily command, or a post checked against the period); a
conditional UPDATE claims each entry, so concurrent observers log it once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from communities.models import Community
from communities.permissions import can_manage_roles, can_moderate
from moderation import emails
from moderation.election_models import HOLD_PREFIX, PreElectionPeriod
from moderation.models import ModerationAction
from moderation.services import log_action

A = ModerationAction.Action
T = ModerationAction.TargetType


def _dates(period) -> str:
    return f"{date_format(period.start_date, 'j F Y')} to {date_format(period.end_date, 'j F Y')}"


# Rules --------------------------------------------------------------------------------


def can_set_site_periods(user) -> bool:
    return user.is_authenticated and user.is_site_admin


def can_set_periods(user, community: Community) -> bool:
    """Owners set their community's periods; site admins set any."""
    return can_manage_roles(user, community)


def can_view_periods(user, community: Community) -> bool:
    """The community's facilitators see its periods (they review the held posts)."""
    return can_moderate(user, community)


def holding_period(*, author, community: Community, today: date | None = None) -> PreElectionPeriod | None:
    """The period in force that holds `author`'s new posts in `community`, or None.
    Facilitators and site admins are never held (as in pre-moderation)."""
    if not author.is_authenticated or can_moderate(author, community):
        return None
    periods = list(PreElectionPeriod.objects.in_force(today).for_community(community).order_by("start_date", "pk"))
    if not periods:
        return None
    organisation = author.organisation if author.organisation_id else None
    for period in periods:
        if period.covers(organisation):
            observe_start(period)
            return period
    return None


def hold_note(period: PreElectionPeriod) -> str:
    """What the author (and the facilitators) read on a post the period held."""
    return (
        f"{HOLD_PREFIX}{period.title} ({_dates(period)}). During this period, posts from members of the "
        "organisations it covers wait for a facilitator to check them before they appear."
    )[:500]


def on_post_held(post) -> None:
    """After commit, for every held post (forums.events.post_held): a post a period
    held gets its author a note by email too, so someone who posted by email hears why."""
    if post.moderation_reason.startswith(HOLD_PREFIX):
        emails.pre_election_held(post)


@dataclass(frozen=True)
class BannerPeriod:
    """What a community page's banner shows; its repr is part of cached pages' keys, so
    every field the banner shows is here."""

    pk: int
    community_id: int | None
    title: str
    start_date: date
    end_date: date
    explanation: str
    guidance_url: str
    coverage: str


# Every page asks for the periods in force: in plain SQL, which PostgreSQL answers in a
# tenth of the time the ORM took to build the query.
BANNER_SQL = """
    SELECT id, community_id, title, start_date, end_date, explanation, guidance_url,
           covers_all, organisation_kinds, regions
    FROM moderation_preelectionperiod
    WHERE cancelled_at IS NULL AND start_date <= %(today)s AND end_date >= %(today)s
    ORDER BY start_date, id
"""


def banner_periods(today: date | None = None) -> list[BannerPeriod]:
    """Every period in force, site-wide and per community, in one query (the rule:
    PreElectionPeriod.objects.in_force)."""
    with connection.cursor() as cursor:
        cursor.execute(BANNER_SQL, {"today": today or timezone.localdate()})
        rows = cursor.fetchall()
    periods = []
    for pk, community_id, title, start, end, explanation, guidance_url, covers_all, kinds, regions in rows:
        period = PreElectionPeriod(covers_all=covers_all, organisation_kinds=kinds, regions=regions)
        periods.append(
            BannerPeriod(
                pk=pk,
                community_id=community_id,
                title=title,
                start_date=start,
                end_date=end,
                explanation=explanation,
                guidance_url=guidance_url,
                coverage=period.coverage_text(),
            )
        )
    return periods


def periods_for_community(periods, community) -> list[BannerPeriod]:
    return [period for period in periods if period.community_id in (None, community.pk)]


# Writes -------------------------------------------------------------------------------


def _log(period: PreElectionPeriod, *, actor, action: str, from_state: str, to_state: str, reason: str = "") -> None:
    log_action(
        actor=actor,
        action=action,
        community=period.community,
        target_type=T.PERIOD,
        target_id=period.pk,
        target_text=f"{period.title} ({_dates(period)}; {period.coverage_text()})",
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


@transaction.atomic
def period_create(*, by, community: Community | None, **fields) -> PreElectionPeriod:
    """Set a period (site-wide when `community` is None). Nothing already published
    changes: the rule only decides about posts made while it is in force."""
    period = PreElectionPeriod.objects.create(community=community, created_by=by, **fields)
    _log(period, actor=by, action=A.PERIOD_SET, from_state="", to_state=period.status_on(timezone.localdate()))
    observe(period)
    return period


@transaction.atomic
def period_cancel(*, period: PreElectionPeriod, by) -> PreElectionPeriod:
    """Cancel a period not yet ended (one in force ends now). Posts it already held stay
    in the review queue for a facilitator to decide."""
    period = PreElectionPeriod.objects.select_for_update().get(pk=period.pk)
    today = timezone.localdate()
    if period.cancelled_at is not None or period.end_date < today:
        raise ValueError("This period has already ended.")
    was = period.status_on(today)
    period.cancelled_at, period.cancelled_by = timezone.now(), by
    period.save(update_fields=["cancelled_at", "cancelled_by"])
    _log(period, actor=by, action=A.PERIOD_CANCEL, from_state=was, to_state="Cancelled")
    if period.start_logged_at is not None and _claim(period, "end_logged_at"):
        _log(period, actor=by, action=A.PERIOD_END, from_state="In force", to_state="Ended", reason="Cancelled")
    return period


def _claim(period: PreElectionPeriod, field: str) -> bool:
    """Mark the start or end as logged; True only for the one caller that marked it."""
    claimed = PreElectionPeriod.objects.filter(pk=period.pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )
    return claimed == 1


def observe_start(period: PreElectionPeriod) -> None:
    if period.start_logged_at is None and _claim(period, "start_logged_at"):
        _log(period, actor=None, action=A.PERIOD_START, from_state="Upcoming", to_state="In force")


def observe(period: PreElectionPeriod, today: date | None = None) -> None:
    """Log the period's start and end if their dates have come and they are not logged."""
    today = today or timezone.localdate()
    if period.cancelled_at is not None or period.start_date > today:
        return
    observe_start(period)
    if period.end_date < today and period.end_logged_at is None and _claim(period, "end_logged_at"):
        _log(period, actor=None, action=A.PERIOD_END, from_state="In force", to_state="Ended")


@transaction.atomic
def observe_all(today: date | None = None) -> int:
    """Log every start and end not yet logged (the daily command); returns how many
    periods were looked at."""
    today = today or timezone.localdate()
    due = PreElectionPeriod.objects.filter(cancelled_at__isnull=True, start_date__lte=today).filter(
        end_logged_at__isnull=True
    )
    periods = list(due.select_related("community"))
    for period in periods:
        observe(period, today)
    return len(periods)
