"""Demo email choices, so `make run` shows the email settings page filled in: Priya
reads a weekly summary of one community and gets every post from another, Marcus
takes every post in the community he runs, and each watches or mutes a thread.
Idempotent: it only sets choices, never adds duplicates."""

from __future__ import annotations

from communities.models import Membership
from notifications.models import CommunityEmailPreference, EmailKindPreference, Notification
from notifications.selectors import forum_model

# username: {community slug fragment: mode}; the first matching active membership is used.
MODES = {
    "priya": ["weekly", "every_post"],
    "marcus": ["every_post"],
    "fiona": ["none"],
}


def seed_notifications(people: dict, communities: dict) -> None:
    for username, modes in MODES.items():
        user = people.get(username)
        if user is None:
            continue
        memberships = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).order_by("community__name")
        for membership, mode in zip(memberships, modes, strict=False):
            CommunityEmailPreference.objects.update_or_create(
                user=user, community=membership.community, defaults={"mode": mode}
            )
    if "priya" in people:
        EmailKindPreference.objects.update_or_create(
            user=people["priya"], kind=Notification.Kind.ANSWER_ACCEPTED, defaults={"email_immediately": False}
        )
    _seed_subscriptions(people)


def _seed_subscriptions(people: dict) -> None:
    subscription = forum_model("ThreadSubscription")
    thread_model = forum_model("Thread")
    if subscription is None or thread_model is None:
        return
    for username, level, offset in [("priya", "watching", 0), ("priya", "muted", 1), ("marcus", "watching", 0)]:
        user = people.get(username)
        if user is None:
            continue
        community_ids = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values("community_id")
        threads = thread_model.objects.filter(community_id__in=community_ids, is_hidden=False).order_by("pk")
        thread = threads[offset : offset + 1].first()
        if thread is not None:
            subscription.objects.get_or_create(user=user, thread=thread, defaults={"level": level})
