"""Pre-election periods (purdah): dates during which posts from members of the
organisations a period covers wait for a facilitator. Rules and writes are in
moderation/elections.py; this module is imported by moderation/models.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from communities.models import Community
from members.models import REGION_CHOICES, Organisation

# A held post's moderation_reason starts with this when a period held it: the review
# queue lists those apart (moderation.selectors.queue_posts).
HOLD_PREFIX = "Pre-election period: "


class PreElectionPeriodQuerySet(models.QuerySet):
    def in_force(self, today=None) -> PreElectionPeriodQuerySet:
        """Periods whose dates include `today` (local date), unless cancelled."""
        today = today or timezone.localdate()
        return self.filter(cancelled_at__isnull=True, start_date__lte=today, end_date__gte=today)

    def for_community(self, community: Community) -> PreElectionPeriodQuerySet:
        """Site-wide periods and the community's own."""
        return self.filter(Q(community__isnull=True) | Q(community=community))


class PreElectionPeriod(models.Model):
    """One pre-election period, site-wide (no community) or in one community. It
    covers every member, or members of organisations of the chosen types and/or
    regions. Start and end are dates (inclusive, UK local time); each is logged in
    the moderation log when first observed (start_logged_at, end_logged_at)."""

    title = models.CharField(max_length=120)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="pre_election_periods"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    covers_all = models.BooleanField(default=True)
    organisation_kinds = ArrayField(
        models.CharField(max_length=30, choices=Organisation.Kind.choices), default=list, blank=True
    )
    regions = ArrayField(models.CharField(max_length=100, choices=REGION_CHOICES), default=list, blank=True)
    explanation = models.TextField(max_length=1000, blank=True)
    guidance_url = models.URLField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_logged_at = models.DateTimeField(null=True, blank=True)
    end_logged_at = models.DateTimeField(null=True, blank=True)

    objects = PreElectionPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="pre_election_end_after_start"),
        ]
        indexes = [
            # Periods in force today (every page's banner, every post's hold rule).
            models.Index(fields=["end_date", "start_date"], name="pre_election_dates_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_site_wide(self) -> bool:
        return self.community_id is None

    def covers(self, organisation: Organisation | None) -> bool:
        """Whether members of `organisation` (None: no listed organisation) are covered."""
        if self.covers_all:
            return True
        if organisation is None:
            return False
        kind_ok = not self.organisation_kinds or organisation.kind in self.organisation_kinds
        region_ok = not self.regions or organisation.region in self.regions
        return kind_ok and region_ok

    def coverage_text(self) -> str:
        """Whose posts are held, in words: "Members of Local authority or Police
        organisations in Wales", or "All members"."""
        if self.covers_all:
            return "All members"
        labels = dict(Organisation.Kind.choices)
        kinds = " or ".join(labels.get(kind, kind) for kind in self.organisation_kinds)
        text = f"Members of {kinds} organisations" if kinds else "Members of organisations"
        return f"{text} in {' or '.join(self.regions)}" if self.regions else text

    def status_on(self, today) -> str:
        if self.cancelled_at is not None:
            return "Cancelled"
        if today < self.start_date:
            return "Upcoming"
        if today > self.end_date:
            return "Ended"
        return "In force"
