"""A community owner sets a pre-election period for council staff; a council press
officer sees the banner, her reply waits with a note saying why, and the facilitator
finds it in the pre-election queue and approves it."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Post
from members.models import Organisation
from moderation.election_models import PreElectionPeriod
from tests.factories import (
    TEST_PASSWORD,
    CommunityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_thread,
)


def sign_in_as(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_an_owner_sets_a_pre_election_period_and_a_council_reply_waits(page, assert_accessible):
    council = OrganisationFactory(name="Camden Council", kind=Organisation.Kind.LOCAL_AUTHORITY, region="London")
    marcus = UserFactory(username="marcus", display_name="Marcus Okafor")
    priya = UserFactory(username="priya", display_name="Priya Shah", organisation=council)
    community = CommunityFactory(name="Social media and digital engagement", slug="social-media", member_count=2)
    MembershipFactory(community=community, user=marcus, role="owner")
    MembershipFactory(community=community, user=priya)
    thread = make_thread(
        community=community, author=marcus, title="Facebook comments during purdah", body="What do you do?"
    )

    # Marcus finds the periods page from the moderation pages and sets one.
    sign_in_as(page, marcus)
    page.goto(f"/communities/{community.slug}/review/")
    page.get_by_role("link", name="Pre-election periods").click()
    page.wait_for_url("**/communities/social-media/pre-election/")
    assert_accessible(page)
    page.get_by_role("button", name="Set a pre-election period").click()
    page.wait_for_url("**/pre-election/new/")
    assert_accessible(page)

    # A last day before the first is refused, and what he typed stays.
    today = timezone.localdate()
    page.get_by_label("Name of the period").fill("May local elections")
    page.get_by_label("First day").fill((today + timedelta(days=5)).strftime("%d/%m/%Y"))
    page.get_by_label("Last day").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Set the period").click()
    expect(page.get_by_role("alert")).to_contain_text("The last day must be the same as or after the first day")
    expect(page.get_by_label("Name of the period")).to_have_value("May local elections")
    assert_accessible(page)

    page.get_by_label("First day").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Last day").fill((today + timedelta(days=30)).strftime("%d/%m/%Y"))
    page.get_by_label(re.compile("^Members of organisations of the types")).check()
    page.get_by_label("Local authority").check()
    page.get_by_label("London").check()
    page.get_by_label(re.compile("What members should know")).fill("Local elections on polling day in May.")
    page.get_by_role("button", name="Set the period").click()
    page.wait_for_url("**/communities/social-media/pre-election/")
    expect(page.get_by_text("Pre-election period “May local elections” set.")).to_be_visible()
    expect(page.locator(".app-pre-election-periods")).to_contain_text("In force")
    assert_accessible(page)
    period = PreElectionPeriod.objects.get()
    assert (period.covers_all, period.organisation_kinds, period.regions) == (False, ["local_authority"], ["London"])

    # Priya sees the banner and its guidance link; her reply waits, and she is told why.
    sign_in_as(page, priya)
    page.goto(thread.get_absolute_url())
    banner = page.get_by_role("region", name="Pre-election period")
    expect(banner).to_contain_text("Local elections on polling day in May.")
    expect(banner.get_by_role("link", name=re.compile("Read the guidance"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Your reply|Reply", re.I)).first.fill("We turn comments off on campaign posts.")
    page.get_by_role("button", name="Post reply").click()
    expect(
        page.get_by_text(re.compile("Your reply is waiting .* Pre-election period: May local elections"))
    ).to_be_visible()
    assert_accessible(page)
    held = Post.objects.get(author=priya)
    assert held.status == Post.Status.HELD

    # Marcus finds it in the pre-election queue, apart from the usual one, and approves it.
    sign_in_as(page, marcus)
    page.goto(f"/communities/{community.slug}/review/")
    page.get_by_role("link", name="1 post held during a pre-election period").click()
    page.wait_for_url("**/communities/social-media/review/pre-election/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_text("Post approved and published.")).to_be_visible()
    assert Post.objects.get(pk=held.pk).status == Post.Status.PUBLISHED
