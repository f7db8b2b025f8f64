import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from core.fast_reverse import reverse_args

# Regions members and organisations pick from (the English regions, the nations, and
# "National" for bodies that cover the whole UK). Stored as the label itself.
REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "National",
]
REGION_CHOICES = [(region, region) for region in REGIONS]

DOMAIN_PATTERN = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE)
ERASED_NAME = "Former member"


def person_name(display_name: str, first_name: str, last_name: str, username: str, erased_at) -> str:
    """The name a member is shown by (User.name), from those columns alone: for pages
    that read them without loading the member."""
    if erased_at is not None:
        return ERASED_NAME
    return display_name or f"{first_name} {last_name}".strip() or username


def normalise_domain(value: str) -> str:
    return value.strip().lower().lstrip("@").rstrip(".")


def validate_domain(value: str) -> None:
    if not DOMAIN_PATTERN.match(value):
        raise ValidationError("Enter an email domain like kent.gov.uk", code="invalid_domain")


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
    region = models.CharField(max_length=100, blank=True, choices=REGION_CHOICES)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationDomain(models.Model):
    """An email domain verified as belonging to an organisation. Addresses at the
    domain or any of its subdomains count as the organisation's."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    # Unique, so the eligibility check is an index lookup on the address's suffixes.
    domain = models.CharField(max_length=253, unique=True, validators=[validate_domain])

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        self.domain = normalise_domain(self.domain)

    def save(self, *args, **kwargs):
        self.domain = normalise_domain(self.domain)
        super().save(*args, **kwargs)


class Expertise(TagBase):
    """Areas of expertise on profiles: kept apart from thread tags and community
    topics, so a profile's words never appear in tag lists or tag pages."""

    class Meta:
        verbose_name = "area of expertise"
        verbose_name_plural = "areas of expertise"


class TaggedExpertise(ItemBase):
    tag = models.ForeignKey(Expertise, on_delete=models.CASCADE, related_name="items")
    content_object = models.ForeignKey("User", on_delete=models.CASCADE, related_name="tagged_expertise")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_expertise_tag_per_member"),
        ]


def avatar_path(instance: "User", filename: str) -> str:
    return f"avatars/{filename}"


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
    # Sign-up and approval.
    join_reason = models.TextField("why they want to join", blank=True)
    rejection_reason = models.TextField(blank=True)
    # Profile.
    job_title = models.CharField(max_length=100, blank=True)
    organisation_other = models.CharField("organisation (not in the list)", max_length=200, blank=True)
    region = models.CharField(max_length=100, blank=True, choices=REGION_CHOICES)
    bio = models.TextField(blank=True)
    bio_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    website = models.URLField(blank=True)
    linkedin = models.URLField("LinkedIn", blank=True)
    social_handle = models.CharField("Mastodon, Bluesky or X", max_length=100, blank=True)
    show_email = models.BooleanField("show my email address to other members", default=False)
    expertise = TaggableManager("areas of expertise", through=TaggedExpertise, blank=True, related_name="+")
    # Set when the member's personal data was erased (their posts stay, as "Former member").
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        indexes = [
            # The member directory: approved members by name.
            models.Index(fields=["status", "display_name"], name="member_directory_idx"),
            # The approvals queue (pending, oldest first) and the staff list's status filter.
            models.Index(fields=["status", "date_joined"], name="member_status_joined_idx"),
        ]

    @property
    def name(self) -> str:
        return person_name(self.display_name, self.first_name, self.last_name, self.username, self.erased_at)

    @property
    def is_approved(self) -> bool:
        """Approved members may take part; others may only read."""
        return self.is_active and self.status == self.Status.APPROVED

    @property
    def is_listed(self) -> bool:
        """In the directory, with a profile page: one of `selectors.listed_members()`."""
        return self.is_approved and not self.is_erased

    @property
    def is_site_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.is_staff)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_other

    @property
    def initials(self) -> str:
        words = [word for word in re.split(r"[\s\-]+", self.name) if word[:1].isalnum()]
        return "".join(word[0] for word in words[:2]).upper() or "?"

    @property
    def avatar_colour(self) -> int:
        """One of six colour classes for the initials avatar, stable per member."""
        return (self.pk or 0) % 6

    def get_absolute_url(self) -> str:
        return reverse_args("member_profile", self.username)

    def __str__(self) -> str:
        return self.name
