"""Mailing-list archives brought into a community, and each message imported."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def _archive_path(instance, filename: str) -> str:
    # A random name: the uploader's file name never reaches the file system.
    return f"archive-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ArchiveImport(models.Model):
    """One mailing-list archive (mbox, or zip of .eml files) being brought into a
    community by notifications.archive_import. Its threads stay unpublished (seen only by
    the community's moderators) until the importer publishes them, all at once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        FAILED = "failed", "Stopped"
        READY = "ready", "Ready to publish"
        PUBLISHED = "published", "Published"

    class Source(models.TextChoices):
        ARCHIVE = "archive", "Archive"
        CHAIN = "chain", "Forwarded email chain"  # notifications.chain_services

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="archive_imports")
    # A forwarded chain's import is also managed by the member who forwarded it.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ARCHIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="archive_imports"
    )
    # Kept only until the import finishes (a stopped import resumes from it).
    archive = models.FileField(upload_to=_archive_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    messages_total = models.PositiveIntegerField(null=True, blank=True)
    messages_read = models.PositiveIntegerField(default=0)
    threads_made = models.PositiveIntegerField(default=0)
    posts_made = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # Why messages were refused, one line each (no addresses): "Message 12: …".
    refusals = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moves on with each progress save: a running import that stops moving has lost its worker.
    updated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A community's imports, newest first (the import page).
            models.Index(fields=["community", "-created_at"], name="archive_import_community_idx"),
        ]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.community_id}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}


class ImportedMessage(models.Model):
    """An archive message that became a post: a Message-ID is imported once per
    community, whichever archive it comes from (cross-posts, overlapping archives)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(ArchiveImport, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(max_length=500)
    post = models.ForeignKey("forums.Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # Deduplication, and the lookup of a reply's parent by its Message-ID.
            models.UniqueConstraint(fields=["community", "message_id"], name="one_import_per_message_id"),
        ]
        indexes = [
            # Publishing or removing an import finds its posts.
            models.Index(fields=["batch"], name="imported_message_batch_idx"),
        ]

    def __str__(self) -> str:
        return self.message_id
