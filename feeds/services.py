"""Writes for personal feed addresses."""

from django.db import transaction
from django.utils import timezone

from feeds.models import FeedToken


def live_feed_token(user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def feed_token_renew(*, user) -> FeedToken:
    """Revoke the member's feed address, if any, and make a new one."""
    FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return FeedToken.objects.create(user=user)


def feed_owner(key: str):
    """The member whose live feed address has this key, while they may still take part
    (suspended, rejected and deactivated accounts get nothing); None otherwise."""
    token = FeedToken.objects.filter(key=key, revoked_at__isnull=True).select_related("user").first()
    if token is None or not token.user.is_approved or token.user.is_erased:
        return None
    return token.user
