"""The email a member gets when a chain they forwarded to a community is ready to
preview: nothing is posted until they publish it from the page it links to."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.text import one_line
from notifications.models import ArchiveImport


def chain_ready_send(*, batch_id: int, to: str, checked: bool) -> bool:
    """Transactional (they sent the chain), so no unsubscribe. `checked` is False when
    our server could not confirm the forward came from them: the email says so."""
    batch = ArchiveImport.objects.select_related("community", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.created_by is None or not batch.created_by.is_active:
        return False
    context = {
        "batch": batch,
        "recipient": batch.created_by,
        "checked": checked,
        "url": settings.SITE_URL + reverse("chain_detail", args=[batch.community.slug, batch.pk]),
    }
    EmailMultiAlternatives(
        subject=one_line(f"Preview the conversation you forwarded to {batch.community.name}"),
        body=render_to_string("emails/chain_ready.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-replied"},
    ).send()
    return True
