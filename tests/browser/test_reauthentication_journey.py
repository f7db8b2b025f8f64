"""Confirming it is you in a real browser: a new sign-in address and deleting the
account ask for the password again, then finish what was asked; a facilitator without
two-factor authentication is sent to set it up when STAFF_REQUIRE_2FA is on."""

from playwright.sync_api import expect

from members.models import User
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def confirm_it_is_me(page, assert_accessible) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    assert_accessible(page)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_member_confirms_their_password_to_change_their_email_address(page, assert_accessible):
    priya = UserFactory(username="priya", display_name="Priya Shah", email="priya.shah@example.gov.uk")
    sign_in(page, priya.email)

    page.goto("/accounts/email/")
    page.get_by_label("New email address").fill("priya.shah@leeds.gov.uk")
    page.get_by_role("button", name="Change email address").click()
    confirm_it_is_me(page, assert_accessible)

    expect(page.get_by_role("heading", level=1)).to_have_text("Change your email address")
    expect(page.get_by_text("priya.shah@leeds.gov.uk", exact=False).first).to_be_visible()
    expect(page.get_by_text("Not confirmed yet")).to_be_visible()

    # Within the next few minutes, cancelling the change is not asked again.
    page.get_by_role("button", name="Cancel the change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your email address")
    expect(page.get_by_text("Not confirmed yet")).to_have_count(0)


def test_member_deletes_their_account_after_confirming_it_is_them(page, assert_accessible):
    sam = UserFactory(username="sam", display_name="Sam Okafor", email="sam.okafor@example.gov.uk")
    sign_in(page, sam.email)

    page.goto("/settings/data/")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("link", name="Confirm that you understand")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I understand that deleting my account cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    confirm_it_is_me(page, assert_accessible)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    assert User.objects.get(pk=sam.pk).erased_at is not None


def test_facilitator_without_two_factor_is_sent_to_set_it_up(page, assert_accessible, settings):
    settings.STAFF_REQUIRE_2FA = True
    marcus = UserFactory(username="marcus", display_name="Marcus Lee", email="marcus.lee@example.nhs.uk")
    membership = MembershipFactory(user=marcus, role="facilitator")
    sign_in(page, marcus.email)

    page.goto(f"/communities/{membership.community.slug}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(page.get_by_text("Turn on two-factor authentication before you use staff pages")).to_be_visible()
    assert_accessible(page)
