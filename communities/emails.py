"""Emails about communities and membership. One plain function per message: each
renders a text and an HTML template from templates/communities/email/ and sends
it with django.core.mail. The services call these in transaction.on_commit, so
moving one onto a background task later changes only its own body."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from communities.models import Community, Invitation, Membership
from communities.welcome import claim_welcome
from core.text import one_line


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send(*, template: str, subject: str, to: list[str], context: dict) -> None:
    if not to:
        return
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": "CommsNet", **context}
    text = render_to_string(f"communities/email/{template}.txt", context)
    html = render_to_string(f"communities/email/{template}.html", context)
    # A name saved with a line break before they were cleaned must not stop the email.
    message = EmailMultiAlternatives(subject=one_line(f"CommsNet: {subject}"), body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def _moderator_emails(community: Community) -> list[str]:
    return list(
        Membership.objects.filter(
            community=community,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.FACILITATOR, Membership.Role.OWNER],
        ).values_list("user__email", flat=True)
    )


def send_join_request(membership: Membership) -> None:
    """To the community's facilitators and owners: someone asked to join."""
    community = membership.community
    _send(
        template="join_request",
        subject=f"{membership.user.name} asked to join {community.name}",
        to=_moderator_emails(community),
        context={
            "community": community,
            "applicant": membership.user,
            "requests_url": absolute(reverse("community_requests", kwargs={"slug": community.slug})),
        },
    )


def send_request_approved(membership: Membership) -> None:
    community = membership.community
    _send(
        template="request_approved",
        subject=f"You have joined {community.name}",
        to=[membership.user.email],
        context={
            "community": community,
            "person": membership.user,
            "community_url": absolute(community.get_absolute_url()),
            "welcome": claim_welcome(community=community, user=membership.user),
        },
    )


def send_request_declined(*, community: Community, user, reason: str) -> None:
    _send(
        template="request_declined",
        subject=f"Your request to join {community.name}",
        to=[user.email],
        context={"community": community, "person": user, "reason": reason},
    )


def send_invitation(invitation: Invitation, token: str) -> None:
    """The link carries the raw token; only its hash is stored."""
    community = invitation.community
    inviter = invitation.invited_by
    _send(
        template="invitation",
        subject=f"You are invited to join {community.name}",
        to=[invitation.email],
        context={
            "community": community,
            "invitation": invitation,
            "inviter": inviter,
            "accept_url": absolute(reverse("invitation_detail", kwargs={"token": token})),
        },
    )


def send_proposal_received(community: Community, admin_emails: list[str]) -> None:
    _send(
        template="proposal_received",
        subject=f"New community proposed: {community.name}",
        to=admin_emails,
        context={"community": community, "proposals_url": absolute(reverse("community_proposals"))},
    )


def send_proposal_approved(community: Community) -> None:
    if community.created_by is None:
        return
    _send(
        template="proposal_approved",
        subject=f"Your community {community.name} is open",
        to=[community.created_by.email],
        context={"community": community, "community_url": absolute(community.get_absolute_url())},
    )


def send_proposal_declined(community: Community) -> None:
    if community.created_by is None:
        return
    _send(
        template="proposal_declined",
        subject=f"Your proposed community {community.name}",
        to=[community.created_by.email],
        context={"community": community, "reason": community.decision_reason},
    )


def send_banned(*, membership: Membership) -> None:
    community = membership.community
    _send(
        template="banned",
        subject=f"You have been removed from {community.name}",
        to=[membership.user.email],
        context={"community": community, "person": membership.user, "reason": membership.ban_reason},
    )
