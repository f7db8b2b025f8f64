"""Account security in a real browser: sign in, password and two-factor pages, sign
out; the account pages' error states; and the header on a phone-sized screen."""

import re

from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tests.totp import current_code


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_facilitator_turns_on_two_factor_and_then_needs_a_code(page, assert_accessible):
    marcus = UserFactory(username="marcus", display_name="Marcus Lee", email="marcus.lee@example.nhs.uk")
    MembershipFactory(user=marcus, role="facilitator")

    sign_in(page, marcus.email)
    page.wait_for_url("**/")
    expect(page.get_by_text("Protect your account with two-factor authentication")).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/password/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)

    page.get_by_role("link", name="Manage two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Turn on")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    assert_accessible(page)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#authenticator-secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill(current_code(secret, seconds_needed=10))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)

    page.goto("/")
    expect(page.get_by_text("Protect your account with two-factor authentication")).to_have_count(0)

    page.goto("/accounts/logout/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")

    sign_in(page, marcus.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Code").fill(current_code(secret, seconds_needed=10))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Marcus Lee")


def test_account_pages_and_their_errors_are_accessible(page, assert_accessible):
    bob = UserFactory(username="bob", email="bob@example.gov.uk")

    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/signup/")
    page.get_by_role("button", name=re.compile("Create|Sign up", re.I)).click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.goto("/accounts/password/reset/")
    assert_accessible(page)
    page.get_by_label("Email address").fill(bob.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    for url in ["/accounts/inactive/", "/accounts/password/reset/key/1-bad/", "/accounts/confirm-email/bad/"]:
        page.goto(url)
        assert_accessible(page)

    sign_in(page, bob.email)
    page.wait_for_url("**/")
    page.goto("/accounts/email/")
    page.get_by_label("New email address").fill("not-an-address")
    page.get_by_role("button", name="Change email address").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)


def test_header_menu_works_on_a_phone_without_sideways_scrolling(browser, live_server, transactional_db, axe):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto("/")
        toggle = page.get_by_role("button", name="Menu")
        navigation = page.locator("#navigation")
        expect(toggle).to_be_visible()
        expect(navigation).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(navigation.get_by_role("link", name="Sign in")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        expect(page.get_by_role("link", name="Accessibility statement")).to_be_visible()
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()
