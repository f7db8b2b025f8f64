"""A facilitator reads their community's health, clicks through to a question waiting
for a reply, features a thread and emails the highlights; a site admin compares every
community. axe-core on every page this adds."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Post, Thread
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread


def sign_in_as(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def asked_days_ago(thread: Thread, days: int) -> None:
    moment = timezone.now() - timedelta(days=days)
    Thread.objects.filter(pk=thread.pk).update(created_at=moment)
    Post.objects.filter(thread=thread).update(created_at=moment)


def test_facilitator_reads_health_and_clicks_through_to_a_waiting_question(page, assert_accessible):
    marcus = UserFactory(username="marcus", display_name="Marcus Okafor")
    priya = UserFactory(username="priya", display_name="Priya Shah")
    community = CommunityFactory(name="Crisis communications", slug="crisis-communications", member_count=2)
    MembershipFactory(community=community, user=marcus, role="facilitator")
    MembershipFactory(community=community, user=priya)
    waiting = make_thread(community=community, author=priya, title="Who signs off flood statements at night?")
    asked_days_ago(waiting, 3)
    answered = make_thread(community=community, author=priya, title="Template for road closure posts")
    make_reply(thread=answered, author=marcus, body="We use the county's template.")

    sign_in_as(page, marcus)
    page.goto(community.get_absolute_url())
    page.get_by_role("link", name="Community health").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community health")
    assert_accessible(page)
    expect(page.get_by_role("table", name="Last 7 days")).to_contain_text("Questions answered")
    expect(page.get_by_role("table", name=re.compile("Activity each week"))).to_be_visible()

    page.get_by_role("link", name=waiting.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(waiting.title)

    # Feature the answered thread and email the highlights to members.
    page.goto(f"/communities/{community.slug}/highlights/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Feature “{answered.title}”").click()
    expect(page.get_by_text("is now featured")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Email the highlights to members").click()
    expect(page.get_by_text("We are emailing the highlights")).to_be_visible()
    page.goto(community.get_absolute_url())
    expect(page.get_by_role("region", name="Highlights")).to_contain_text(answered.title)
    assert_accessible(page)


def test_site_admin_sorts_every_communitys_figures(page, assert_accessible):
    dora = UserFactory(username="dora", display_name="Dora Admin", is_staff=True, is_superuser=True)
    quiet = CommunityFactory(name="Quiet corner", slug="quiet-corner")
    busy = CommunityFactory(name="Busy press office", slug="busy-press-office")
    MembershipFactory(community=busy, user=dora)
    make_thread(community=busy, author=dora, title="Election night rota")

    sign_in_as(page, dora)
    page.goto("/staff/community-health/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Health of every community")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^New threads")).click()
    rows = page.locator("tbody tr th")
    expect(rows.first).to_contain_text(busy.name)
    expect(rows.nth(1)).to_contain_text(quiet.name)
    assert_accessible(page)
