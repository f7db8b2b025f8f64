"""The email an importer gets when their archive import finishes or stops."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.models import ArchiveImport


def import_summary_send(batch: ArchiveImport) -> bool:
    """Tell the importer the outcome (transactional: they started it, so no unsubscribe)."""
    importer = batch.created_by
    # A forwarded chain's forwarder is told by notifications.chain_email instead.
    if batch.source == ArchiveImport.Source.CHAIN:
        return False
    if importer is None or not importer.is_active or not importer.email:
        return False
    context = {
        "batch": batch,
        "recipient": importer,
        "url": settings.SITE_URL + reverse("archive_import_detail", args=[batch.community.slug, batch.pk]),
    }
    ready = batch.status == ArchiveImport.Status.READY
    subject = (
        f"Your archive import into {batch.community.name} is ready to publish"
        if ready
        else f"Your archive import into {batch.community.name} stopped"
    )
    EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/archive_import_summary.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[importer.email],
        headers={"Auto-Submitted": "auto-generated"},
    ).send()
    return True
