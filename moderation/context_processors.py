from django.utils.functional import SimpleLazyObject

from moderation.elections import banner_periods
from moderation.selectors import waiting_counts_for


def review_counts(request) -> dict:
    """Items waiting for review, for the header. Lazy: costs its two queries only on
    pages whose header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"REVIEW_COUNTS": None}
    return {"REVIEW_COUNTS": SimpleLazyObject(lambda: waiting_counts_for(user))}


def pre_election_periods(request) -> dict:
    """Pre-election periods in force, for community pages' banner. Lazy: one query,
    only on pages that show the banner."""
    return {"PRE_ELECTION_PERIODS": SimpleLazyObject(banner_periods)}
