from django.db import models
from django.utils import timezone


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
