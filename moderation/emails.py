"""Emails that tell people about moderation decisions. Called after commit by
moderation.services; each also sends its event (moderation/events.py), which
notifications hears to record the in-site notice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from communities.permissions import can_view_thread
from core.text import one_line
from moderation import events


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    if not to:
        return
    body = render_to_string(template, {**context, "SITE_URL": settings.SITE_URL})
    send_mail(one_line(f"CommsNet: {subject}"), body, None, [to])  # never a line break in a header


def flag_resolved(flag) -> None:
    """The reporter hears back when a facilitator deals with their report."""
    _send(
        to=flag.reporter.email,
        subject="your report has been reviewed",
        template="moderation/email/flag_resolved.txt",
        context={
            "flag": flag,
            "upheld": flag.status == flag.Status.UPHELD,
            # The thread may have moved or been renamed since: name it only if they may still see it.
            "may_see_thread": can_view_thread(flag.reporter, flag.post.thread),
        },
    )
    events.flag_resolved.send(sender=type(flag), flag=flag)


def post_hidden(post) -> None:
    """The author learns their post was hidden, and why."""
    if post.author is None:
        return
    _send(
        to=post.author.email,
        subject="a facilitator hid your post",
        template="moderation/email/post_hidden.txt",
        context={"post": post},
    )
    events.post_hidden.send(sender=type(post), post=post)


def sanction_issued(sanction) -> None:
    """A warning or a mute, sent privately to the member."""
    _send(
        to=sanction.user.email,
        subject=f"a message from the facilitators of {sanction.community.name}",
        template="moderation/email/sanction_issued.txt",
        context={"sanction": sanction},
    )
    events.sanction_issued.send(sender=type(sanction), sanction=sanction)


def pre_election_held(post) -> None:
    """The author learns a pre-election period held their post, and why (web or email)."""
    if post.author is None:
        return
    _send(
        to=post.author.email,
        subject="your post is waiting during a pre-election period",
        template="moderation/email/pre_election_held.txt",
        context={"post": post},
    )
