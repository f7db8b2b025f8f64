"""Sign-up, verification and sign-in through allauth, as a member meets them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "priya.shah@example.gov.uk",
    "display_name": "Priya Shah",
    "password1": "a-Long-unusual-passphrase-77",
    "password2": "a-Long-unusual-passphrase-77",
}


def verification_link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


def test_signup_sends_a_verification_email_and_creates_unverified_account(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email=SIGNUP["email"])
    assert user.display_name == "Priya Shah"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [SIGNUP["email"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_unverified_member_cannot_sign_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    response = client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_following_the_verification_link_verifies_the_address(client):
    client.post(reverse("account_signup"), SIGNUP)
    link = verification_link(mail.outbox[0])
    client.post(link)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified


def test_signup_with_errors_keeps_what_was_typed_and_shows_an_error_summary(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "something-else-entirely"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'value="priya.shah@example.gov.uk"' in body
    assert 'value="Priya Shah"' in body
    assert User.objects.count() == 0


def test_signup_with_an_existing_email_does_not_reveal_the_account(client, bob):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": bob.email})
    # The visitor sees the same "check your email" step as for a new address.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=bob.email).count() == 1


def test_password_reset_does_not_reveal_whether_an_account_exists(client, bob):
    known = client.post(reverse("account_reset_password"), {"email": bob.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.gov.uk"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_verified_member_signs_in_and_out(client, bob):
    response = client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == bob.pk
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_rate_limited(client, bob):
    statuses = [
        client.post(reverse("account_login"), {"login": bob.email, "password": "wrong-password"}).status_code
        for _ in range(12)
    ]
    response = client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD})
    assert statuses[0] == 200
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
