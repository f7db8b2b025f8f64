"""Personal feed addresses: a secret in the address lets a feed reader, which cannot
sign in, read what its owner may read."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret in a member's personal feed addresses. Making a new one revokes the
    old (kept, revoked, so the moment is on record); a revoked key answers 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens")
    # Unique: every feed request finds its owner by this index.
    key = models.CharField(max_length=64, unique=True, default=new_feed_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One live address per member: the settings page shows it.
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_token"),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"Feed address of {self.user_id} ({state})"
