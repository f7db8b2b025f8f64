"""Reminding facilitators that short answers have reached their review date
(forums/short_answers.py): one email per facilitator per community, each date once,
and no List-Unsubscribe, as it is work for the role (docs/email.md, "Who is told")."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from communities.permissions import can_moderate
from communities.selectors import facilitators
from core.text import one_line
from forums.short_answers import short_answer_mark_reminded, short_answers_due
from notifications.emails import absolute


def _message(user, community, threads: list) -> EmailMultiAlternatives:
    context = {
        "recipient": user,
        "community": community,
        "threads": [(thread, absolute(thread.get_absolute_url())) for thread in threads],
        "SITE_URL": settings.SITE_URL,
    }
    count = len(threads)
    subject = f"{count} short answer{'s' if count != 1 else ''} to check in {community.name}"
    message = EmailMultiAlternatives(
        subject=one_line(f"CommsNet: {subject}"),
        body=render_to_string("notifications/email/short_answers_due.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("notifications/email/short_answers_due.html", context), "text/html")
    # Checked again when sent (notifications.outbox): still their facilitator, still readable.
    message.guard = {"user": user.pk, "threads": [thread.pk for thread in threads], "moderates": [community.pk]}
    return message


def remind_short_answers(today: datetime.date | None = None) -> int:
    """Email each community's facilitators about its short answers due for review;
    returns how many emails were sent."""
    sent = 0
    due = list(short_answers_due(today))
    for _community_id, group in groupby(due, key=lambda thread: thread.community_id):
        threads = list(group)
        community = threads[0].community
        with transaction.atomic():
            recipients = [m.user for m in facilitators(community) if m.user.email and can_moderate(m.user, community)]
            for user in recipients:
                _message(user, community, threads).send()
            sent += len(recipients)
            short_answer_mark_reminded(threads)
    return sent
