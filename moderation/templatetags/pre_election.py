"""Template helpers for pre-election periods (moderation/elections.py)."""

from __future__ import annotations

from django import template

from moderation import elections

register = template.Library()


@register.inclusion_tag("moderation/elections/_banner.html", takes_context=True)
def pre_election_banner(context, community) -> dict:
    """The banner for `community`'s pages. The periods in force come from the page's
    context (PRE_ELECTION_PERIODS: part of cached pages' keys, communities.page_cache)."""
    periods = context.get("PRE_ELECTION_PERIODS")
    if periods is None:
        periods = elections.banner_periods()
    return {"periods": elections.periods_for_community(periods, community)}


@register.filter
def period_status(period, today) -> str:
    return period.status_on(today)


@register.filter
def may_cancel_period(period, user) -> bool:
    if period.community_id is None:
        return elections.can_set_site_periods(user)
    return elections.can_set_periods(user, period.community)
