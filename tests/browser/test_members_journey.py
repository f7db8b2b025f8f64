"""Joining CommsNet: a council address is approved straight away; a gmail address
waits for a site admin, who approves it."""

import re

from django.core import mail
from playwright.sync_api import expect

from members.models import User
from tests.factories import TEST_PASSWORD, UserFactory
from tests.members.factories import organisation_with_domain

PASSWORD = "Election-period-2026!"


def sign_up(page, assert_accessible, *, email: str, name: str, reason: str = "") -> None:
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill(name)
    if reason:
        page.get_by_label("Why do you want to join?").fill(reason)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Create|Sign up", re.I)).click()
    page.wait_for_url("**/confirm-email/")
    assert_accessible(page)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page)
    # Confirming in the browser that signed up signs in.
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not the confirm page


def sign_in(page, assert_accessible, *, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def sign_out(page) -> None:
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Sign out").click()


def test_council_member_is_approved_and_edits_their_profile(page, assert_accessible):
    organisation_with_domain("dacorum.gov.uk", name="Dacorum Borough Council")
    sign_up(page, assert_accessible, email="priya.shah@dacorum.gov.uk", name="Priya Shah")
    assert User.objects.get(email="priya.shah@dacorum.gov.uk").status == User.Status.APPROVED

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)
    page.get_by_role("link", name="Edit your profile").click()
    assert_accessible(page)
    page.get_by_label("Job title").fill("Press officer")
    page.get_by_label("Region").select_option("East of England")
    page.get_by_label("About you").fill("I look after **media enquiries** for the council.")
    page.get_by_label("Areas of expertise").fill("media relations, pre-election period")
    page.get_by_role("button", name="Save your profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="See your profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Shah")
    expect(page.get_by_text("Press officer, Dacorum Borough Council")).to_be_visible()
    expect(page.get_by_text("media enquiries")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Members", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Search members").fill("pre-election")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Priya Shah")).to_be_visible()
    assert_accessible(page)


def test_gmail_member_waits_in_the_queue_and_a_site_admin_approves_them(page, assert_accessible):
    admin = UserFactory(username="sam", display_name="Sam Admin", is_staff=True, is_superuser=True)
    sign_up(
        page,
        assert_accessible,
        email="jo.whitaker@gmail.com",
        name="Jo Whitaker",
        reason="Freelance press officer covering a council's press office.",
    )
    page.goto("/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is waiting for approval")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, assert_accessible, email=admin.email, password=TEST_PASSWORD)
    page.get_by_role("link", name="Approvals").first.click()
    assert_accessible(page)
    expect(page.get_by_text("Freelance press officer covering a council's press office.")).to_be_visible()
    page.get_by_role("button", name="Approve Jo Whitaker").click()
    expect(page.get_by_text("Jo Whitaker is approved.")).to_be_visible()
    expect(page.get_by_text("Nobody is waiting for approval.")).to_be_visible()
    assert_accessible(page)
    assert User.objects.get(email="jo.whitaker@gmail.com").status == User.Status.APPROVED
    assert "approved" in mail.outbox[-1].subject

    page.goto("/staff/members/?status=approved")
    expect(page.get_by_role("link", name="Jo Whitaker")).to_be_visible()
    assert_accessible(page)
