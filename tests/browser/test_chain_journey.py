"""Bob brings a reply-all chain into his community: from the new-thread page he opens
"Start from an email chain", is told clearly what is wrong without losing what he
pasted, pastes the chain, checks the preview (a post per email, by its sender, no
addresses) and publishes it. The same page works with JavaScript off."""

import re

from playwright.sync_api import expect

from forums.models import Thread
from tests.browser.test_search_journey import sign_in
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.notifications import chain_samples as samples


def cast():
    bob = UserFactory(username="bob", display_name="Bob Member")
    social = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    MembershipFactory(community=social, user=bob)
    return bob


def test_member_pastes_a_chain_previews_and_publishes_it(page, assert_accessible, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bob = cast()
    sign_in(page, bob)
    page.goto("/communities/social-media/new/")
    page.get_by_role("link", name="Start from an email chain").click()
    expect(page.get_by_role("heading", name="Start from an email chain")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Preview the conversation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Paste the email chain")
    assert_accessible(page)

    page.get_by_label("The email chain").fill("Notes from Tuesday's call")
    page.get_by_role("button", name="Preview the conversation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("We could not find any emails in the chain")
    expect(page.get_by_label("The email chain")).to_have_value("Notes from Tuesday's call")
    assert_accessible(page)

    page.get_by_label("The email chain").fill(samples.OUTLOOK)
    page.get_by_role("button", name="Preview the conversation").click()
    expect(page.get_by_role("heading", name="Preview the conversation")).to_be_visible()
    emails = page.locator("article.app-post")
    expect(emails).to_have_count(3)
    expect(emails.nth(0)).to_contain_text("Priya Shah")
    expect(emails.nth(0)).to_contain_text("Archived author")
    expect(emails.nth(1)).to_contain_text("Bob Member")
    expect(emails.nth(2)).to_contain_text("Sam Jones")
    expect(page.locator("main")).not_to_contain_text("@")
    expect(page.locator("main")).not_to_contain_text("07700 900123")  # Sam's signature
    assert_accessible(page)

    page.get_by_role("button", name="Publish the conversation").click()
    expect(page).to_have_url(re.compile(r"/threads/\d+/"))
    expect(page.locator("main")).to_contain_text(samples.ADDITION)
    assert_accessible(page)
    assert not Thread.objects.get().is_unpublished


def test_the_chain_page_works_without_javascript(browser, live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bob = cast()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, bob)
    page.goto("/communities/social-media/from-email/")
    page.get_by_label("The email chain").fill("Just a note")
    page.get_by_role("button", name="Preview the conversation").click()
    expect(page.get_by_label("The email chain")).to_have_value("Just a note")
    page.get_by_label("The email chain").fill(samples.GMAIL)
    page.get_by_role("button", name="Preview the conversation").click()
    expect(page.locator("article.app-post")).to_have_count(3)
    page.get_by_role("button", name="Publish the conversation").click()
    expect(page.locator("main")).to_contain_text(samples.OPENING)
    context.close()
