"""allauth's reauthentication: changing the sign-in email address or two-factor settings
asks for the password (or a 2FA code) again when the last one is over 5 minutes old.
(Deleting the account: tests/members/test_personal_data.py.)"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.totp import current_code

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "bob.new@example.gov.uk"


def sign_in(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def change_email(client):
    return client.post(reverse("account_email"), {"action_add": "", "email": NEW_ADDRESS})


def test_changing_the_email_address_asks_for_the_password_again(client, bob):
    sign_in(client, bob)  # signing in is not a confirmation: only "Confirm it is you" is
    response = change_email(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()
    assert mail.outbox == []


def test_the_password_then_finishes_the_email_change(client, bob):
    sign_in(client, bob)
    change_email(client)
    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("account_email"), {"password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=bob, email=NEW_ADDRESS, verified=False).exists()
    assert mail.outbox[-1].to == [NEW_ADDRESS]


def test_a_recent_confirmation_is_not_asked_for_again(client, bob):
    sign_in(client, bob)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    response = change_email(client)
    assert response.url == reverse("account_email")
    assert EmailAddress.objects.filter(user=bob, email=NEW_ADDRESS).exists()


def test_an_old_confirmation_is_asked_for_again(client, bob, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the last confirmation is already too old
    sign_in(client, bob)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    response = change_email(client)
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()


def test_making_another_address_the_sign_in_address_asks_again(client, bob):
    EmailAddress.objects.create(user=bob, email=NEW_ADDRESS, verified=True, primary=False)
    sign_in(client, bob)
    response = client.post(reverse("account_email"), {"action_primary": "", "email": NEW_ADDRESS})
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert EmailAddress.objects.get(email=NEW_ADDRESS).primary is False


def test_turning_off_two_factor_asks_for_a_code_or_the_password_again(client, bob):
    secret = generate_totp_secret()
    TOTP.activate(bob, secret)
    client.force_login(bob)
    response = client.post(reverse("mfa_deactivate_totp"), {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=bob, type=Authenticator.Type.TOTP).exists()

    page = client.get(response.url).content.decode()
    assert reverse("mfa_reauthenticate") in page  # or a code from the app
    client.post(reverse("mfa_reauthenticate"), {"code": current_code(secret)})
    client.post(reverse("mfa_deactivate_totp"), {})
    assert not Authenticator.objects.filter(user=bob, type=Authenticator.Type.TOTP).exists()


def test_new_recovery_codes_ask_for_the_password_again(client, bob):
    TOTP.activate(bob, generate_totp_secret())
    client.force_login(bob)
    response = client.post(reverse("mfa_generate_recovery_codes"), {})
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not Authenticator.objects.filter(user=bob, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_changing_the_password_always_asks_for_the_current_one(client, bob):
    client.force_login(bob)
    new = "Crisis-comms-plan-2026"
    response = client.post(reverse("account_change_password"), {"password1": new, "password2": new})
    assert response.status_code == 200
    assert "Enter your current password" in response.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(TEST_PASSWORD)
