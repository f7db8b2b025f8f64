"""An invitation link opened while signed out is remembered in the session, and
accepted as soon as its owner signs in or confirms the invited address (allauth's
signals: the one place we listen to a third-party app). The sign-in then lands
in the community: allauth hands its redirect response to user_logged_in. Confirming
the address in the browser that signed up is such a sign-in too
(ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION)."""

from __future__ import annotations

from allauth.account.signals import email_confirmed, user_logged_in
from django.contrib import messages
from django.dispatch import receiver

from communities import invitation_services

SESSION_TOKEN = "communities_invitation_token"
SESSION_LANDING = "communities_landing_url"


def remember(request, token: str) -> None:
    request.session[SESSION_TOKEN] = token


def forget(request) -> None:
    request.session.pop(SESSION_TOKEN, None)


def accept_remembered_invitation(request, user) -> None:
    token = request.session.get(SESSION_TOKEN) if hasattr(request, "session") else None
    if not token or not user.is_authenticated:
        return
    invitation = invitation_services.invitation_for_token(token)
    if invitation is None or not invitation_services.invitation_addressed_to(invitation, user):
        return  # Perhaps they signed in with another address: the link still works later.
    try:
        invitation_services.invitation_accept(invitation=invitation, user=user)
    except invitation_services.MembershipError:
        forget(request)
        return
    forget(request)
    request.session[SESSION_LANDING] = invitation.community.get_absolute_url()
    messages.success(request, f"You have joined {invitation.community.name}.")


@receiver(user_logged_in, dispatch_uid="communities_accept_on_sign_in")
def _on_sign_in(sender, request, user, response=None, **kwargs) -> None:
    accept_remembered_invitation(request, user)
    landing = request.session.pop(SESSION_LANDING, None) if hasattr(request, "session") else None
    if landing and response is not None and response.has_header("Location"):
        response["Location"] = landing


@receiver(email_confirmed, dispatch_uid="communities_accept_on_confirm")
def _on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    accept_remembered_invitation(request, email_address.user)
