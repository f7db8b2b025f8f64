"""Hooks into allauth (a third-party app, so its signals are the seam it offers)."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from members.services import member_check_eligibility


@receiver(email_confirmed, dispatch_uid="members_check_eligibility")
def check_eligibility_on_verification(sender, request, email_address, **kwargs) -> None:
    """A verified address from a recognised organisation or suffix approves the member."""
    member_check_eligibility(member=email_address.user, email=email_address.email)


@receiver(user_signed_up, dispatch_uid="members_check_eligibility_on_signup")
def check_eligibility_on_signup(sender, request, user, **kwargs) -> None:
    """Single sign-on (Microsoft, Google) can arrive with addresses the provider has
    already verified: they count the same as addresses verified by our own email."""
    for address in EmailAddress.objects.filter(user=user, verified=True).order_by("-primary"):
        if member_check_eligibility(member=user, email=address.email):
            return
