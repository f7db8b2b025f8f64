"""Two-factor authentication (allauth.mfa: TOTP and recovery codes) and the prompt
that asks site admins and facilitators to turn it on."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from core.security import should_prompt_for_mfa
from tests.factories import TEST_PASSWORD, MembershipFactory
from tests.totp import current_code

pytestmark = pytest.mark.django_db

PROMPT = "Protect your account with two-factor authentication"


def sign_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def sign_in_and_confirm_password(client, user):
    # allauth asks for the password again before two-factor settings change.
    sign_in(client, user)
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def turn_on_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def assert_signs_in_once(client, user, code: str) -> None:
    """`code` completes sign-in once; after signing out, the same code is refused."""
    sign_in(client, user)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert int(client.session["_auth_user_id"]) == user.pk

    client.post(reverse("account_logout"))
    sign_in(client, user)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_turning_on_the_authenticator_app_asks_for_the_password_again(client, bob):
    sign_in(client, bob)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    page = client.get(response.url).content.decode()
    assert "Confirm it is you" in page


def test_member_turns_on_the_authenticator_app_with_a_code_from_the_secret(client, bob):
    sign_in_and_confirm_password(client, bob)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=bob, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=bob, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_wrong_code_does_not_turn_on_the_authenticator_app(client, bob):
    sign_in_and_confirm_password(client, bob)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "govuk-error-message" in body
    assert not Authenticator.objects.filter(user=bob).exists()


def test_activation_page_shows_the_qr_code_as_an_image_the_csp_allows(client, bob):
    sign_in_and_confirm_password(client, bob)
    response = client.get(reverse("mfa_activate_totp"))
    body = response.content.decode()
    assert '<img src="data:image/svg+xml;base64,' in body
    assert 'alt="QR code to scan with your authenticator app"' in body
    img_src = next(d for d in response.headers["Content-Security-Policy"].split(";") if "img-src" in d)
    assert "data:" in img_src
    assert "<script>" not in body and "style=" not in body


def test_sign_in_asks_for_the_code_once_the_authenticator_app_is_on(client, bob):
    secret = turn_on_totp(bob)
    response = sign_in(client, bob)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert int(client.session["_auth_user_id"]) == bob.pk


def test_an_authenticator_code_signs_in_once(client, bob):
    secret = turn_on_totp(bob)
    code = current_code(secret, seconds_needed=10)
    assert_signs_in_once(client, bob, code)


def test_a_code_from_the_previous_thirty_seconds_is_refused(client, bob):
    # Only the current code: allauth remembers a used code for 30 seconds, so a wider
    # window would let someone who saw a code use it again.
    secret = turn_on_totp(bob)
    current_code(secret)  # not so close to the next code that "previous" moves on
    previous = format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD - 1))
    sign_in(client, bob)
    response = client.post(reverse("mfa_authenticate"), {"code": previous})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, bob):
    turn_on_totp(bob)
    code = RecoveryCodes.activate(bob).get_unused_codes()[0]
    assert_signs_in_once(client, bob, code)


def test_two_factor_page_says_whether_the_app_is_on(client, bob):
    sign_in(client, bob)
    off = client.get(reverse("mfa_index")).content.decode()
    assert '<h1 class="govuk-heading-l">Two-factor authentication</h1>' in off
    assert reverse("mfa_activate_totp") in off
    turn_on_totp(bob)
    on = client.get(reverse("mfa_index")).content.decode()
    assert reverse("mfa_deactivate_totp") in on


def test_two_factor_page_needs_signing_in(client):
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_site_admin_without_two_factor_is_prompted_on_the_home_page(client, dora):
    client.force_login(dora)
    body = client.get("/").content.decode()
    assert PROMPT in body
    assert "You are a site administrator" in body
    assert reverse("mfa_index") in body


def test_facilitator_without_two_factor_is_prompted(client, alice):
    MembershipFactory(user=alice, role="facilitator")
    client.force_login(alice)
    body = client.get("/").content.decode()
    assert PROMPT in body
    assert "You run a community" in body


def test_community_owner_is_prompted(alice):
    MembershipFactory(user=alice, role="owner")
    assert should_prompt_for_mfa(alice)


def test_member_is_not_prompted(client, bob):
    MembershipFactory(user=bob, role="member")
    client.force_login(bob)
    assert PROMPT not in client.get("/").content.decode()
    assert not should_prompt_for_mfa(bob)


def test_banned_facilitator_is_not_prompted(alice):
    MembershipFactory(user=alice, role="facilitator", status="banned")
    assert not should_prompt_for_mfa(alice)


def test_visitor_is_not_prompted(client):
    from django.contrib.auth.models import AnonymousUser

    assert not should_prompt_for_mfa(AnonymousUser())
    assert PROMPT not in client.get("/").content.decode()


def test_prompt_stops_once_two_factor_is_on(client, dora):
    turn_on_totp(dora)
    client.force_login(dora)
    assert PROMPT not in client.get("/").content.decode()
    assert not should_prompt_for_mfa(dora)


def test_site_admin_without_two_factor_is_prompted_on_their_account_settings(client, dora):
    client.force_login(dora)
    response = client.get(reverse("profile_settings"))
    assert response.status_code == 200
    assert PROMPT in response.content.decode()
