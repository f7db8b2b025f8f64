"""Emails of the records app: a deletion warning to the facilitators, and "your
export is ready" to the person who asked. Both are service messages about a
community's records (no List-Unsubscribe: nobody subscribed to them)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from communities.models import Community, Membership
from core.text import one_line


def _send(*, template: str, subject: str, to: list[str], context: dict) -> None:
    if not to:
        return
    context = {"SITE_URL": settings.SITE_URL, **context}
    message = EmailMultiAlternatives(
        subject=one_line(f"CommsNet: {subject}"),
        body=render_to_string(f"records/email/{template}.txt", context),
        to=to,
    )
    message.attach_alternative(render_to_string(f"records/email/{template}.html", context), "text/html")
    message.send()


def _moderator_emails(community: Community) -> list[str]:
    return list(
        Membership.objects.filter(
            community=community, status=Membership.Status.ACTIVE, role__in=Membership.MODERATOR_ROLES
        ).values_list("user__email", flat=True)
    )


def send_deletion_warning(community: Community, records: list) -> None:
    """One email per community per run, listing each thread and the day it goes."""
    threads = [
        {"title": r.thread.title, "url": settings.SITE_URL + r.thread.get_absolute_url(), "delete_on": r.delete_on}
        for r in records
    ]
    count = len(threads)
    _send(
        template="deletion_warning",
        subject=f"{count} archived thread{'s' if count != 1 else ''} in {community.name} will be deleted",
        to=_moderator_emails(community),
        context={
            "community": community,
            "threads": threads,
            "retention_url": settings.SITE_URL + reverse("retention_rule", kwargs={"slug": community.slug}),
        },
    )


def send_export_ready(export) -> None:
    if export.requested_by is None:
        return
    kwargs = {"slug": export.community.slug, "pk": export.pk}
    _send(
        template="export_ready",
        subject=f"your export of {export.community.name} is ready",
        to=[export.requested_by.email],
        context={
            "export": export,
            "community": export.community,
            "download_url": settings.SITE_URL + reverse("export_download", kwargs=kwargs),
            "export_url": settings.SITE_URL + reverse("export_detail", kwargs=kwargs),
        },
    )
