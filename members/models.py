from django.contrib.auth.models import AbstractUser
from django.db import models


class Organisation(models.Model):
    """A public body (or a partner) whose staff may join."""

    class Kind(models.TextChoices):
        CENTRAL_GOVERNMENT = "central_government", "Central government"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS = "nhs", "NHS"
        POLICE = "police", "Police"
        FIRE_AND_RESCUE = "fire_and_rescue", "Fire and rescue"
        DEVOLVED_GOVERNMENT = "devolved_government", "Devolved government"
        ARMS_LENGTH_BODY = "arms_length_body", "Arm's-length body"
        THIRD_SECTOR = "third_sector", "Third sector or other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    region = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationDomain(models.Model):
    """An email domain verified as belonging to an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class User(AbstractUser):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUSPENDED = "suspended", "Suspended"

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_approved(self) -> bool:
        """Approved members may take part; others may only read."""
        return self.is_active and self.status == self.Status.APPROVED

    @property
    def is_site_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.is_staff)

    def __str__(self) -> str:
        return self.name
