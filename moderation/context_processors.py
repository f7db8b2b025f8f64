from django.utils.functional import SimpleLazyObject

from core.request_memo import memoised
from moderation.elections import banner_periods
from moderation.selectors import waiting_counts_for


def review_counts(request) -> dict:
    """Items waiting for review, for the header (and the home page's sections, rendered
    apart by Jinja2). Lazy: costs its two queries only on pages that show it, once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"REVIEW_COUNTS": None}
    return {
        "REVIEW_COUNTS": SimpleLazyObject(
            lambda: memoised(("review_counts", user.pk), lambda: waiting_counts_for(user))
        )
    }


def pre_election_periods(request) -> dict:
    """Pre-election periods in force, for community pages' banner. Lazy: one query,
    only on pages that show the banner."""
    return {"PRE_ELECTION_PERIODS": SimpleLazyObject(banner_periods)}
