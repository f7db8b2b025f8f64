"""The email a member gets when a chain they forwarded to a community is ready to
preview: nothing is posted until they publish it from the page it links to."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from core.text import one_line
from notifications.models import ArchiveImport, OutgoingEmail


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
    # One Message-ID per chain: a task run again after a crash finds its email already
    # in the outbox (notifications.outbox) and sends no second one.
    message_id = f"<chain-ready-{batch.pk}@{settings.POST_DOMAIN}>"
    with transaction.atomic():
        queued = OutgoingEmail.objects.filter(to=to, content__headers__contains={"Message-ID": message_id})
        if queued.exists():
            return False
        EmailMultiAlternatives(
            subject=one_line(f"Preview the conversation you forwarded to {batch.community.name}"),
            body=render_to_string("emails/chain_ready.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"Auto-Submitted": "auto-replied", "Message-ID": message_id},
        ).send()
    return True
