"""The facilitators' Monday email: each of their communities' figures for the last
week, the questions waiting more than 48 hours, join requests and the review queue.

Queued as one EmailDelivery per facilitator per ISO week (unique by member and key),
so running the command twice sends it once; its content is worked out when it is
sent, so permissions are checked then. Its unsubscribe link turns off only this email."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, F, Q
from django.utils import timezone

from communities.models import Community, Membership
from communities.permissions import can_view_health
from forums import health
from forums.models import Post
from members.models import User
from moderation.models import Flag
from notifications.emails import _message, absolute, safe_reverse, thread_url, unsubscribe_headers, unsubscribe_url
from notifications.models import EmailDelivery, EmailOptOut
from notifications.selectors import email_stopped
from notifications.services import deliveries_queue
from notifications.tokens import make_unsubscribe_token

WAITING_PER_COMMUNITY = 10


def week_key(now: datetime | None = None) -> str:
    """One key per ISO week in the site's time zone: a second run that week adds nothing."""
    year, week, _ = timezone.localtime(now or timezone.now()).isocalendar()
    return f"facilitator-weekly-{year}-w{week:02d}"


def _run_communities(user_ids=None):
    """Active facilitators' and owners' memberships of active communities."""
    memberships = Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        role__in=Membership.MODERATOR_ROLES,
        community__status=Community.Status.ACTIVE,
        user__status=User.Status.APPROVED,
    )
    return memberships if user_ids is None else memberships.filter(user_id__in=user_ids)


def facilitator_weeklies_queue(*, now: datetime | None = None) -> int:
    """Queue this week's email for every facilitator who has not turned it off; returns
    how many were newly queued."""
    now = now or timezone.now()
    key = week_key(now)
    stopped = EmailOptOut.objects.filter(kind=EmailOptOut.Kind.FACILITATOR_WEEKLY).values("user_id")
    user_ids = set(_run_communities().exclude(user_id__in=stopped).values_list("user_id", flat=True))
    already = set(
        EmailDelivery.objects.filter(key=key, recipient_id__in=user_ids).values_list("recipient_id", flat=True)
    )
    deliveries_queue(
        deliveries=(
            EmailDelivery(
                recipient_id=user_id,
                key=key,
                kind=EmailDelivery.Kind.FACILITATOR_WEEKLY,
                period_start=now - timedelta(days=7),
                period_end=now,
            )
            for user_id in sorted(user_ids)
        )
    )
    return len(user_ids - already)


def _grouped(queryset, column: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(column).annotate(n=Count("pk")))


def weekly_report(recipient, now: datetime) -> list[dict]:
    """Each community the recipient runs, with what the email says about it."""
    communities = [
        m.community
        for m in _run_communities([recipient.pk]).select_related("community").order_by("community__name")
        if can_view_health(recipient, m.community)
    ]
    ids = [community.pk for community in communities]
    if not ids:
        return []
    raw = health.raw_figures(ids, now)
    waiting: dict[int, list] = {}
    for thread in health.unreplied_questions(now).filter(community_id__in=ids).order_by("created_at", "pk"):
        waiting.setdefault(thread.community_id, []).append(thread)
    requests = _grouped(
        Membership.objects.filter(community_id__in=ids, status=Membership.Status.PENDING), "community_id"
    )
    held = Post.objects.filter(status=Post.Status.HELD, thread__community_id__in=ids).annotate(
        cid=F("thread__community_id")
    )
    flagged = Flag.objects.filter(Q(status=Flag.Status.OPEN), community_id__in=ids)
    queue = _grouped(held, "cid")
    for community_id, count in _grouped(flagged, "community_id").items():
        queue[community_id] = queue.get(community_id, 0) + count
    report = []
    for community in communities:
        threads = waiting.get(community.pk, [])
        report.append(
            {
                "community": community,
                "figures": health.period_figures(raw.get(community.pk, {}), 7),
                "waiting": [{"title": t.title, "url": thread_url(t)} for t in threads[:WAITING_PER_COMMUNITY]],
                "waiting_count": len(threads),
                "requests": requests.get(community.pk, 0),
                "review": queue.get(community.pk, 0),
                "health_url": absolute(
                    safe_reverse("community_health", f"/communities/{community.slug}/health/", slug=community.slug)
                ),
            }
        )
    return report


def facilitator_weekly_message(delivery: EmailDelivery) -> EmailMultiAlternatives | None:
    recipient = delivery.recipient
    if email_stopped(recipient):
        return None
    if EmailOptOut.objects.filter(user=recipient, kind=EmailOptOut.Kind.FACILITATOR_WEEKLY).exists():
        return None
    report = weekly_report(recipient, delivery.period_end or timezone.now())
    if not report:
        return None
    token = make_unsubscribe_token(user_id=recipient.pk, opt_out=EmailOptOut.Kind.FACILITATOR_WEEKLY)
    headers = {
        "Message-ID": f"<{delivery.key}-{recipient.pk}@{settings.POST_DOMAIN}>",
        "Auto-Submitted": "auto-generated",
        **unsubscribe_headers(token),
    }
    context = {
        "recipient": recipient,
        "report": report,
        "waiting_hours": int(health.WAITING_AFTER.total_seconds() // 3600),
        "unsubscribe_url": unsubscribe_url(token),
    }
    if len(report) == 1:
        subject = f"{report[0]['community'].name} this week"
    else:
        subject = f"Your {len(report)} communities this week"
    return _message(
        subject=subject,
        to=recipient.email,
        template="facilitator_weekly",
        context=context,
        headers=headers,
        guard={"user": recipient.pk, "moderates": [item["community"].pk for item in report]},
    )
