"""Pasting more than a field takes: nothing is cut, the GOV.UK character count says how
much too long the text is, and the server's message says it again with the text kept."""

from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_thread


def test_over_long_reply_pasted_is_kept_whole_and_counted(page, assert_accessible):
    community = CommunityFactory(name="Crisis communications", slug="crisis-communications")
    priya = UserFactory(username="priya", display_name="Priya Shah")
    MembershipFactory(community=community, user=priya)
    thread = make_thread(community=community, author=priya, title="Flood warnings overnight?")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(priya.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto(thread.get_absolute_url())

    reply_box = page.get_by_label("Your reply")
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 20,000 characters remaining")
    text = "Our duty officer covers it. " * 714 + "Ring the duty officer, then."  # 20,020 characters
    reply_box.focus()
    page.keyboard.insert_text(text)  # as a paste does: one input event with all the text

    assert len(reply_box.input_value()) == len(text)
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 20 characters too many")
    assert_accessible(page)

    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your message must be 20,000 characters or fewer – you have 20 characters too many"
    )
    assert len(page.get_by_label("Your reply").input_value()) == len(text)
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 20 characters too many")
    assert_accessible(page)
