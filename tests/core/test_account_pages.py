"""allauth's pages in our layout and GOV.UK wording: sentence-case headings and buttons,
an error summary at the top of each form, errors beside fields."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return match.group(1).strip()


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Create an account"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Check your email"),
        ("/accounts/confirm-email/", "Check your email"),
        ("/accounts/inactive/", "You cannot sign in"),
        ("/accounts/password/reset/key/1-not-a-key/", "This link does not work"),
        ("/accounts/confirm-email/not-a-key/", "This link does not work"),
    ],
)
def test_visitor_pages_have_plain_headings(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert h1(response) == heading
    assert 'href="#main-content"' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/logout/", "Sign out"),
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/email/", "Change your email address"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/reauthenticate/", "Confirm it is you"),
    ],
)
def test_signed_in_pages_have_plain_headings(client, bob, url, heading):
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    assert h1(response) == heading


def test_sign_in_page_labels_and_buttons(client):
    body = client.get(reverse("account_login")).content.decode()
    assert ">Email address</label>" in body
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", body)
    assert "Forgotten your password?" in body
    assert "Forgot your password?" not in body
    assert "placeholder=" not in body
    assert "Remember Me" not in body


def test_failed_sign_in_shows_the_error_summary_above_the_heading(client, bob):
    response = client.post(reverse("account_login"), {"login": bob.email, "password": "wrong-password"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("govuk-error-summary") < body.index("<h1")
    assert "<title>Error: Sign in" in body
    assert f'value="{bob.email}"' in body  # the form comes back filled in


def test_empty_sign_in_says_what_to_enter_and_links_each_error_to_its_field(client):
    body = client.post(reverse("account_login"), {}).content.decode()
    assert '<a href="#id_login">Enter your email address</a>' in body
    assert '<a href="#id_password">Enter your password</a>' in body
    assert 'id="id_login-error"' in body
    assert "This field is required" not in body


def test_badly_formed_email_gets_a_gov_uk_message(client):
    body = client.post(reverse("account_reset_password"), {"email": "not-an-address"}).content.decode()
    assert "Enter an email address in the correct format, like name@example.gov.uk" in body


def test_password_change_uses_sentence_case_labels_and_reports_errors(client, bob):
    client.force_login(bob)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "x", "password2": "y"},
    )
    body = response.content.decode()
    assert "There is a problem" in body
    for label in ["Current password", "New password", "Confirm new password"]:
        assert f">{label}</label>" in body
    assert "Current Password" not in body


def test_member_changes_password(client, bob):
    client.force_login(bob)
    new = "Crisis-comms-plan-2026"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(new)


def test_password_reset_from_email_link_to_new_password(client, bob):
    client.post(reverse("account_reset_password"), {"email": bob.email})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert h1(form_page) == "Choose a new password"
    new = "Flood-warning-statement-9"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True)

    assert h1(done) == "Your password has been changed"
    bob.refresh_from_db()
    assert bob.check_password(new)


def test_change_email_shows_the_address_waiting_for_confirmation(client, bob):
    client.force_login(bob)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})  # asked before changes
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "bob.new@example.gov.uk"}, follow=True
    )
    body = response.content.decode()
    assert h1(response) == "Change your email address"
    assert "bob.new@example.gov.uk" in body
    assert "Not confirmed yet" in body
    assert mail.outbox[-1].to == ["bob.new@example.gov.uk"]


def test_change_email_with_a_bad_address_shows_the_error(client, bob):
    client.force_login(bob)
    body = client.post(reverse("account_email"), {"action_add": "", "email": "not-an-address"}).content.decode()
    assert "There is a problem" in body
    assert 'href="#id_email"' in body
    assert ">New email address</label>" in body


def test_sign_out_asks_then_signs_out(client, bob):
    client.force_login(bob)
    page = client.get(reverse("account_logout")).content.decode()
    assert "Are you sure you want to sign out" in page
    response = client.post(reverse("account_logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "You have signed out." in response.content.decode()


def test_signing_in_says_so_in_plain_words(client, bob):
    response = client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD}, follow=True)
    assert "You are signed in." in response.content.decode()
