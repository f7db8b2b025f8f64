"""A question's life: asked, answered in a thread, an answer accepted, then pinned and
locked by a facilitator. Zero axe-core violations on every page."""

import re

from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory


def sign_in(page, assert_accessible, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_question_is_answered_accepted_pinned_and_locked(page, assert_accessible, monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)
    community = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    priya = UserFactory(username="priya", display_name="Priya Shah")
    tom = UserFactory(username="tom", display_name="Tom Evans")
    aisha = UserFactory(username="aisha", display_name="Aisha Khan")
    marcus = UserFactory(username="marcus", display_name="Marcus Lee")
    for member in (priya, tom, aisha):
        MembershipFactory(community=community, user=member)
    MembershipFactory(community=community, user=marcus, role="facilitator")

    # Priya asks, previewing first.
    sign_in(page, assert_accessible, priya)
    page.goto("/communities/social-media/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("How are you handling Facebook comments during the election period?")
    page.get_by_label("Your message").fill("We are in the **pre-election period**. Do you hide comments?")
    page.get_by_label("Tags (optional)").fill("elections, facebook")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview strong")).to_have_text("pre-election period")
    assert_accessible(page)
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url("**/threads/**")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^How are you handling Facebook"))
    assert_accessible(page)
    thread_url = page.url

    # Tom replies to the thread.
    sign_in(page, assert_accessible, tom)
    page.goto(thread_url)
    page.get_by_label("Your reply").fill("We turn comments off on posts about candidates.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state()
    expect(page.get_by_text("We turn comments off on posts about candidates.")).to_be_visible()
    assert_accessible(page)

    # Aisha replies to Tom's reply, from its own reply page.
    sign_in(page, assert_accessible, aisha)
    page.goto(thread_url)
    page.get_by_role("link", name="Reply to Tom Evans").click()
    assert_accessible(page)
    page.get_by_label("Your reply").fill("Same here, @tom: we also pin a house-rules comment.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state()
    nested = page.locator("article.app-post--depth-2")
    expect(nested).to_contain_text("house-rules")
    expect(nested.get_by_role("link", name="@tom")).to_have_count(1)
    assert_accessible(page)

    # Priya accepts Tom's answer: it shows first, under the question.
    sign_in(page, assert_accessible, priya)
    page.goto(thread_url)
    page.get_by_role("button", name="Mark as the answer (reply by Tom Evans)").click()
    page.wait_for_load_state()
    expect(page.locator("#accepted-answer")).to_contain_text("We turn comments off")
    assert_accessible(page)

    # Marcus pins, then locks with a reason.
    sign_in(page, assert_accessible, marcus)
    page.goto(thread_url)
    page.get_by_role("button", name="Pin").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Lock").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lock thread").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why are you locking this thread?").fill("Answered: see the accepted answer")
    page.get_by_role("button", name="Lock thread").click()
    page.wait_for_load_state()
    expect(page.locator("#locked")).to_contain_text("This thread is locked: Answered: see the accepted answer")
    assert_accessible(page)

    # The community's list shows it pinned and answered; a member can no longer reply.
    page.goto("/communities/social-media/")
    assert_accessible(page)
    row = page.locator(".app-thread-row").first
    expect(row).to_contain_text("Pinned")
    expect(row).to_contain_text("Answered")
    sign_in(page, assert_accessible, tom)
    page.goto(thread_url)
    expect(page.get_by_label("Your reply")).to_have_count(0)
    assert_accessible(page)


def test_author_edits_sees_history_and_deletes_and_pages_are_accessible(page, assert_accessible):
    from forums.services import post_edit
    from tests.factories import make_reply, make_thread

    community = CommunityFactory(name="Accessible content", slug="accessible-content")
    hannah = UserFactory(username="hannah", display_name="Hannah Cole")
    dave = UserFactory(username="dave", display_name="Dave Price")
    MembershipFactory(community=community, user=hannah, role="owner")
    MembershipFactory(community=community, user=dave)
    thread = make_thread(community=community, author=dave, title="Alt text for maps?", tags=["alt text"])
    reply = make_reply(thread=thread, author=hannah, body="List the closures in the post.")
    post_edit(post=reply, editor=hannah, body="List the closures in the post itself.")

    sign_in(page, assert_accessible, hannah)
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="history of this post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post history")
    assert_accessible(page)
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Edit post by Hannah Cole").click()
    assert_accessible(page)
    page.get_by_label("Your message").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your message").fill("Keep the alt text short and list closures in the post.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Keep the alt text short")).to_be_visible()

    page.get_by_role("link", name="Delete post by Hannah Cole").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete post").click()
    page.wait_for_load_state()
    expect(page.get_by_text("This post was deleted.")).to_be_visible()
    assert_accessible(page)

    page.goto("/tags/alt-text/")
    expect(page.locator("main")).to_contain_text("Alt text for maps?")
    assert_accessible(page)
    page.goto("/communities/accessible-content/tags/")
    assert_accessible(page)
    page.get_by_label("Only allow the tags listed below").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto("/communities/accessible-content/?kind=question&unanswered=on")
    assert_accessible(page)
