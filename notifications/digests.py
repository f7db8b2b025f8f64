"""Queuing daily and weekly digests. The content is worked out when each one is sent,
so permissions are checked then (emails.digest_message)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from notifications.models import EmailDelivery
from notifications.selectors import digest_memberships
from notifications.services import deliveries_queue


def period(mode: str, now: datetime | None = None) -> tuple[str, datetime, datetime]:
    """(key, start, end) of the period just finished: yesterday, or last week
    (Monday to Monday), in the site's time zone."""
    local = timezone.localtime(now or timezone.now())
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if mode == "weekly":
        end = today - timedelta(days=today.weekday())
        start = end - timedelta(days=7)
        year, week, _ = start.isocalendar()
        return f"digest-weekly-{year}-w{week:02d}", start, end
    start = today - timedelta(days=1)
    return f"digest-daily-{start:%Y-%m-%d}", start, today


def digests_queue(*, mode: str, now: datetime | None = None) -> int:
    """One delivery per member who chose this mode in at least one community."""
    key, start, end = period(mode, now)
    user_ids = set(digest_memberships(mode).values_list("user_id", flat=True))
    already = set(
        EmailDelivery.objects.filter(key=key, recipient_id__in=user_ids).values_list("recipient_id", flat=True)
    )
    deliveries_queue(
        deliveries=(
            EmailDelivery(
                recipient_id=user_id, key=key, kind=EmailDelivery.Kind.DIGEST, period_start=start, period_end=end
            )
            for user_id in user_ids
        )
    )
    return len(user_ids - already)
