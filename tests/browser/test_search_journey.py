"""Priya searches for an answer someone already gave, narrows it down, and opens it."""

import re

from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_member_searches_filters_and_opens_the_matching_post(page, assert_accessible):
    priya = UserFactory(username="priya", display_name="Priya Shah")
    marcus = UserFactory(username="marcus", display_name="Marcus Okafor")
    social = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    crisis = CommunityFactory(name="Crisis communications", slug="crisis")
    for community in (social, crisis):
        MembershipFactory(community=community, user=priya)
        MembershipFactory(community=community, user=marcus)
    thread = make_thread(
        community=social, author=priya, title="Facebook comments in the pre-election period", body="What do you do?"
    )
    answer = make_reply(
        thread=thread, author=marcus, body="We switch off comments on Facebook adverts until polling day."
    )
    make_thread(
        community=crisis, author=marcus, title="Comments during a flood", body="We keep Facebook comments open."
    )

    sign_in(page, priya)
    page.goto("/search/")
    assert_accessible(page)

    page.get_by_label("Search discussions").fill("facebook comments")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".app-search-result")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("2 threads found")
    assert_accessible(page)

    page.get_by_text("Filter results").click()
    page.get_by_label("Community").select_option(label="Social media and digital engagement")
    page.get_by_label("Not answered yet").check()
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]community=social-media(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]answered=no(&|$)"))
    expect(page.locator(".app-search-result")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Facebook comments in the pre-election period")).click()
    page.wait_for_url(re.compile(rf"/threads/{thread.pk}/.*#post-{answer.pk}$"))
    expect(page.locator(f"#post-{answer.pk}")).to_be_visible()
    expect(page.locator(f"#post-{answer.pk}")).to_contain_text("until polling day")
    assert_accessible(page)


def test_member_typing_a_question_sees_similar_threads_already_asked(page, assert_accessible):
    priya = UserFactory(username="priya", display_name="Priya Shah")
    social = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    MembershipFactory(community=social, user=priya)
    make_thread(community=social, author=priya, title="Facebook comments in the pre-election period", body="Any tips?")

    sign_in(page, priya)
    page.goto("/communities/social-media/new/")
    page.get_by_label("Title").press_sequentially("Turning off Facebook comments before an election")

    suggestions = page.locator(".app-similar-threads__results")
    expect(suggestions.get_by_role("link", name="Facebook comments in the pre-election period")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Turning off Facebook comments before an election")
    assert_accessible(page)


def test_member_reads_everything_a_colleague_wrote_from_their_profile(page, assert_accessible):
    priya = UserFactory(username="priya", display_name="Priya Shah")
    marcus = UserFactory(username="marcus", display_name="Marcus Okafor")
    social = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    for person in (priya, marcus):
        MembershipFactory(community=social, user=person)
    asked = make_thread(community=social, author=marcus, title="Alt text for charts", body="How long should it be?")
    question = make_thread(community=social, author=priya, title="Scheduling tools", body="Which do you use?")
    answer = make_reply(thread=question, author=marcus, body="We use the free tier of a scheduler.")

    sign_in(page, priya)
    page.goto("/members/marcus/")
    page.get_by_role("link", name="See everything Marcus Okafor wrote").click()
    expect(page).to_have_title(re.compile("^Posts by Marcus Okafor"))
    expect(page.get_by_label("Written by")).to_have_value("marcus")
    results = page.locator(".app-search-result")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("We use the free tier of a scheduler.")
    expect(results.nth(1)).to_contain_text(asked.title)
    assert_accessible(page)

    results.first.get_by_role("link", name="Scheduling tools").click()
    page.wait_for_url(re.compile(rf"/threads/{question.pk}/.*#post-{answer.pk}$"))
    expect(page.locator(f"#post-{answer.pk}")).to_contain_text("free tier")
