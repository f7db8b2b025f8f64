"""Priya writes a very long sentence and the plain-English check says so as she types,
without her pressing Preview (static/js/writing-check.js)."""

from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_thread

LONG_SENTENCE = (
    "We would be very grateful if colleagues from across the local authorities in the region could let us know "
    "whether they have found a way to keep residents informed about road closures during the winter months."
)


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_long_sentence_typed_in_a_new_thread_gets_advice_without_preview(page, assert_accessible):
    priya = UserFactory(username="priya", display_name="Priya Shah")
    roads = CommunityFactory(name="Highways communications", slug="highways")
    MembershipFactory(community=roads, user=priya)

    sign_in(page, priya)
    page.goto("/communities/highways/new/")
    page.get_by_label("Title").fill("Winter road closures")
    page.locator('textarea[name="body"]').press_sequentially(LONG_SENTENCE)

    advice = page.locator(".app-writing-check")
    expect(advice).to_have_attribute("aria-live", "polite")
    expect(advice).to_contain_text("This sentence is long. Try splitting it")
    expect(page.locator("#preview")).to_have_count(0)  # the advice came without a preview
    expect(page.get_by_label("Title")).to_have_value("Winter road closures")
    assert_accessible(page)

    page.locator('textarea[name="body"]').fill("Short and clear.")
    expect(advice).to_contain_text("No problems found")


def test_reply_box_on_the_thread_page_gets_advice_as_it_is_typed(page, assert_accessible):
    priya = UserFactory(username="priya", display_name="Priya Shah")
    roads = CommunityFactory(name="Highways communications", slug="highways")
    MembershipFactory(community=roads, user=priya)
    thread = make_thread(community=roads, author=priya, title="Gritting updates", body="How often do you post?")

    sign_in(page, priya)
    page.goto(thread.get_absolute_url())
    page.get_by_label("Your reply").press_sequentially(LONG_SENTENCE)

    expect(page.locator(".app-writing-check")).to_contain_text("This sentence is long. Try splitting it")
    assert_accessible(page)
