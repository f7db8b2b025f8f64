"""Who is approved on verifying their email address, and who waits for a site admin."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.eligibility import eligibility_for
from members.models import User
from tests.members.factories import organisation_with_domain

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-unusual-passphrase-77"


def sign_up(client, email: str, join_reason: str = ""):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "New Person",
            "join_reason": join_reason,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def verify(client):
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    return client.post(link)


def test_organisation_domain_approves_and_links_the_member_on_verification(client):
    kent = organisation_with_domain("kent.gov.uk", name="Kent County Council")
    sign_up(client, "jo.bloggs@kent.gov.uk")
    member = User.objects.get(email="jo.bloggs@kent.gov.uk")
    assert member.status == User.Status.PENDING
    verify(client)
    member.refresh_from_db()
    assert member.status == User.Status.APPROVED
    assert member.organisation == kent


def test_a_subdomain_of_an_organisation_domain_counts_as_the_organisation(client):
    trust = organisation_with_domain("example-trust.org.uk", name="Example Trust")
    sign_up(client, "sam@comms.example-trust.org.uk")
    verify(client)
    member = User.objects.get(email="sam@comms.example-trust.org.uk")
    assert member.status == User.Status.APPROVED
    assert member.organisation == trust


def test_a_lookalike_domain_does_not_match_the_organisation():
    organisation_with_domain("example-trust.org.uk")
    result = eligibility_for("someone@notexample-trust.org.uk")
    assert not result.eligible
    assert result.organisation is None


def test_allow_listed_suffix_approves_without_an_organisation(client):
    sign_up(client, "pat@somewhere.nhs.net")
    verify(client)
    member = User.objects.get(email="pat@somewhere.nhs.net")
    assert member.status == User.Status.APPROVED
    assert member.organisation is None


def test_a_bare_allow_listed_domain_is_eligible():
    assert eligibility_for("minister@gov.wales").eligible


def test_suffix_allow_list_comes_from_settings(client, settings):
    settings.ELIGIBLE_EMAIL_SUFFIXES = [".example.org"]
    assert eligibility_for("a@team.example.org").eligible
    assert not eligibility_for("a@kent.gov.uk").eligible


def test_unrecognised_address_stays_pending_after_verification(client):
    sign_up(client, "new.person@gmail.com", join_reason="Freelancer working for a council")
    verify(client)
    member = User.objects.get(email="new.person@gmail.com")
    assert EmailAddress.objects.get(user=member).verified
    assert member.status == User.Status.PENDING
    assert member.join_reason == "Freelancer working for a council"


def test_unrecognised_address_must_say_why_they_want_to_join(client):
    response = sign_up(client, "new.person@gmail.com", join_reason="")
    assert response.status_code == 200
    assert "Tell us why you want to join" in response.content.decode()
    assert not User.objects.filter(email="new.person@gmail.com").exists()


def test_recognised_address_does_not_need_a_reason(client):
    response = sign_up(client, "priya@dacorum.gov.uk")
    assert response.status_code == 302
    assert User.objects.filter(email="priya@dacorum.gov.uk").exists()


def test_pending_member_can_read_public_pages_but_not_the_directory(client, erin):
    client.force_login(erin)
    assert client.get(reverse("home")).status_code == 200
    response = client.get(reverse("member_directory"))
    assert response.status_code == 403
    assert "waiting for approval" in response.content.decode()


def test_rejected_member_is_not_approved_by_verifying_again(client):
    member = User.objects.create_user(
        username="rej", email="rej@kent.gov.uk", password=PASSWORD, status=User.Status.REJECTED
    )
    from members.services import member_check_eligibility

    assert member_check_eligibility(member=member, email=member.email) is False
    member.refresh_from_db()
    assert member.status == User.Status.REJECTED
