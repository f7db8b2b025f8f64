import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

# A host name: labels of letters, digits and hyphens, with at least one dot.
HOST_NAME = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    "Enter a host name only, like images.example.gov.uk (no https:// and no path)",
    flags=re.IGNORECASE,
)


class AllowedImageHost(models.Model):
    """A site that images in posts may come from, set by site admins in the Django
    admin (registered in forums.admin, which renders stored posts again on a change).
    Any other remote image is shown as a link instead: an image is fetched by every
    reader's browser (and mail client), so its host could log who reads a private
    thread. Our own uploads need no entry."""

    host = models.CharField(
        max_length=253,
        unique=True,
        validators=[HOST_NAME],
        help_text="For example images.example.gov.uk. Only https images from exactly this host are shown. "
        "Saving or deleting a host renders again every post, community text and profile that names it.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why this site is trusted, for other admins.")

    class Meta:
        ordering = ["host"]
        verbose_name = "allowed image host"

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower()
        super().save(*args, **kwargs)


def allowed_image_hosts() -> frozenset[str]:
    return frozenset(AllowedImageHost.objects.values_list("host", flat=True))


class FormSubmission(models.Model):
    """A one-time form token that has been used, and where what it made can be seen.

    A form that creates something carries a fresh token (core.once); the creation and
    this row are written in one transaction, and the token is unique, so a double
    click, a resent request or a refresh makes one thing and the repeat is sent to it.
    """

    token = models.CharField(max_length=64, unique=True)  # the random part; the unique index is the lock
    owner = models.CharField(max_length=80)  # "user:<pk>" or "session:<key>": whose form it was
    digest = models.CharField(max_length=64)  # what was sent: a used token with other content is not a repeat
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.owner} → {self.result_url}"
