import re

from django.core import mail
from playwright.sync_api import expect


def test_new_member_signs_up_verifies_and_reaches_home(page, assert_accessible):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Create an account").first.click()
    assert_accessible(page)

    page.get_by_label("Email").fill("marcus.lee@example.nhs.uk")
    page.get_by_label("Full name").fill("Marcus Lee")
    page.get_by_label("Password", exact=True).fill("Surgery-sessions-2026!")
    page.get_by_label("Password (again)").fill("Surgery-sessions-2026!")
    page.get_by_role("button", name=re.compile("Create|Sign up", re.I)).click()
    page.wait_for_url("**/confirm-email/")
    assert_accessible(page)

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page)
    # Confirming in the browser that signed up signs in.
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not the confirm page
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Marcus Lee")
    assert_accessible(page)
