"""Hooks into allauth (a third-party app, so a signal is the seam it offers)."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from members.services import member_check_eligibility


@receiver(email_confirmed, dispatch_uid="members_check_eligibility")
def check_eligibility_on_verification(sender, request, email_address, **kwargs) -> None:
    """A verified address from a recognised organisation or suffix approves the member."""
    member_check_eligibility(member=email_address.user, email=email_address.email)
