"""A short answer's life: the asker previews it (with the plain-English check), writes
it, and a facilitator confirms it when it is due; the tag page names who knows. Zero
axe-core violations on every page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from forums.models import CommunityForumSettings, Thread
from forums.services import answer_accept
from tests.browser.test_thread_journey import sign_in
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread


def test_asker_writes_a_short_answer_and_a_facilitator_confirms_it(page, assert_accessible):
    community = CommunityFactory(name="Press and media", slug="press")
    priya = UserFactory(username="priya", display_name="Priya Shah")
    tom = UserFactory(username="tom", display_name="Tom Evans")
    marcus = UserFactory(username="marcus", display_name="Marcus Lee")
    for member in (priya, tom):
        MembershipFactory(community=community, user=member)
    MembershipFactory(community=community, user=marcus, role="facilitator")
    CommunityForumSettings.objects.create(community=community, jargon_words="purdah")
    thread = make_thread(
        community=community, author=priya, title="Can we post during purdah?", body="Rules?", tags=["elections"]
    )
    answer = make_reply(thread=thread, author=tom, body="Yes, but nothing about candidates.")
    answer_accept(thread=thread, post=answer, by=priya)

    sign_in(page, assert_accessible, priya)
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Write a short answer").click()
    assert_accessible(page)
    page.get_by_label("Short answer").fill("Yes during purdah, but ![](chart.png) nothing about candidates.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#plain-english")).to_contain_text("explain or avoid: purdah")
    expect(page.locator("#plain-english")).to_contain_text("1 image has no alt text")
    assert_accessible(page)
    page.get_by_label("Short answer").fill(
        "Yes, you can post during the **pre-election period**, but nothing about candidates."
    )
    page.get_by_label("Review by").fill("01/01/2020")
    page.get_by_role("button", name="Save short answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The review date must be in the future")
    assert_accessible(page)
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Review by").fill(next_month.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save short answer").click()
    page.wait_for_url(f"**{thread.get_absolute_url()}")
    expect(page.locator("#short-answer strong")).to_have_text("pre-election period")
    expect(page.locator("#short-answer")).to_contain_text("Last confirmed")
    assert_accessible(page)

    # The review date comes: the facilitator is asked to check it, and confirms it.
    Thread.objects.filter(pk=thread.pk).update(short_answer_review_by=timezone.localdate())
    sign_in(page, assert_accessible, marcus)
    page.goto("/communities/press/review/")
    assert_accessible(page)
    page.get_by_role("link", name="Can we post during purdah?").click()
    page.wait_for_load_state()
    expect(page.locator("#short-answer")).to_contain_text("due for review")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm it is still true").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner, .govuk-notification-banner--success").first).to_contain_text(
        "confirmed as still true"
    )
    expect(page.locator("#short-answer")).not_to_contain_text("due for review")
    assert_accessible(page)

    # Search shows it, and the tag page names who knows about elections.
    page.goto("/search/?q=purdah")
    expect(page.locator(".app-search-results")).to_contain_text("nothing about candidates")
    assert_accessible(page)
    page.goto("/tags/elections/")
    expect(page.locator("#experts")).to_contain_text("Tom Evans")
    assert_accessible(page)
    page.goto("/members/?tag=elections&sort=expertise")
    expect(page.locator(".app-member-list li").first).to_contain_text("Tom Evans")
    assert_accessible(page)
