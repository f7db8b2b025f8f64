"""Every event moderation listens to, and the posting rules it gives forums; connected
from ModerationConfig.ready."""

from __future__ import annotations

from django.utils.text import Truncator

from communities.events import community_changed
from communities.page_cache import register_page_chrome
from forums.events import post_held
from forums.policy import register_posting_rules
from moderation import elections, rules
from moderation.models import ModerationAction
from moderation.selectors import waiting_counts_for
from moderation.services import log_action

A = ModerationAction.Action
CHANGES = {"setting": A.COMMUNITY_CHANGE, "archive": A.COMMUNITY_ARCHIVE, "unarchive": A.COMMUNITY_UNARCHIVE}
# ModerationAction.from_state and to_state hold this much.
STATE_LENGTH = ModerationAction._meta.get_field("from_state").max_length


def _state(value: str) -> str:
    # A long value (guidelines) is shortened with a visible "…", never cut silently.
    return Truncator(" ".join(str(value).split())).chars(STATE_LENGTH)


def log_community_change(sender, *, community, actor, change: str, what: str, before: str, after: str, **kwargs):
    log_action(
        actor=actor,
        action=CHANGES[change],
        community=community,
        target_type=ModerationAction.TargetType.COMMUNITY,
        target_id=community.pk,
        target_text=f"{community.name}: {what}",
        from_state=_state(before),
        to_state=_state(after),
    )


def tell_author_of_election_hold(sender, *, post, **kwargs) -> None:
    elections.on_post_held(post)


def review_counts(request):
    """The header's review counts, for a cached page's key (moderation/context_processors.py)."""
    return waiting_counts_for(request.user) if request.user.is_authenticated else None


def connect() -> None:
    # Pre-moderation, mutes, rate limits and pre-election holds for every new post (forums/policy.py).
    register_posting_rules(rules)
    register_page_chrome("REVIEW_COUNTS", review_counts)
    # Periods start and end by date, not by an edit: their banner is in a cached page's key.
    register_page_chrome("PRE_ELECTION_PERIODS", lambda request: elections.banner_periods())
    community_changed.connect(log_community_change, dispatch_uid="moderation.log_community_change")
    post_held.connect(tell_author_of_election_hold, dispatch_uid="moderation.tell_author_of_election_hold")
