"""A facilitator (the community's owner) runs their community: changes the
guidelines, lets CommsNet members read it after confirming what becomes visible,
looks at the members page and archives it; a member sees who belongs and the
welcome message. axe-core on every page this adds."""

import re

from playwright.sync_api import expect

from communities.models import Community
from moderation.models import ModerationAction
from tests.browser.test_members_journey import sign_in, sign_out
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_thread


def test_owner_changes_guidelines_widens_visibility_and_archives(page, assert_accessible):
    olive = UserFactory(username="olive", display_name="Olive Owner", email="olive@kent.gov.uk")
    bob = UserFactory(username="bob", display_name="Bob Member", email="bob@kent.gov.uk")
    community = CommunityFactory(name="Kent press officers", slug="kent-press", visibility="private")
    MembershipFactory(community=community, user=olive, role="owner")
    MembershipFactory(community=community, user=bob)
    make_thread(community=community, author=bob, title="Polling day photography")

    sign_in(page, assert_accessible, email=olive.email, password=TEST_PASSWORD)
    page.goto(community.get_absolute_url())
    page.get_by_role("link", name="Community settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community settings")
    assert_accessible(page)

    # A mistake first: what was typed stays, and the error is announced.
    page.get_by_label("Guidelines").fill("Keep **residents' names** out of threads.")
    page.get_by_label("Topics").fill("elections, <script>")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is not a valid topic")
    expect(page.get_by_label("Guidelines")).to_have_value("Keep **residents' names** out of threads.")
    assert_accessible(page)

    page.get_by_label("Topics").fill("elections")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved: guidelines, topics.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change who can read it and how people join").click()
    assert_accessible(page)
    page.get_by_label("Members only: any signed-in CommsNet member can read").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Let more people read Kent press officers?")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "1 thread and 1 post will be readable by any signed-in CommsNet member."
    )
    assert_accessible(page)
    community.refresh_from_db()
    assert community.visibility == "private"  # nothing changes before the confirmation
    page.get_by_role("button", name="Yes, let more people read it").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Members only")
    community.refresh_from_db()
    assert community.visibility == "members_only"
    assert "<strong>residents' names</strong>" in community.guidelines_html
    assert ModerationAction.objects.filter(community_id=community.pk, actor=olive).count() == 3

    page.get_by_role("navigation", name="Manage Kent press officers").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    assert_accessible(page)
    page.get_by_label("Role", exact=True).select_option("member")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("table")).to_contain_text("Bob Member")
    expect(page.get_by_role("table")).not_to_contain_text("Olive Owner")
    assert_accessible(page)

    page.goto(f"/communities/{community.slug}/settings/")
    page.get_by_role("button", name="Archive Kent press officers").click()
    expect(page.get_by_text("is archived: it is read only").first).to_be_visible()
    assert_accessible(page)
    assert Community.objects.get(pk=community.pk).is_archived


def test_member_sees_who_belongs_and_the_welcome_message(page, assert_accessible):
    alice = UserFactory(username="alice", display_name="Alice Facilitator", email="alice@kent.gov.uk")
    charlie = UserFactory(username="charlie", display_name="Charlie Newcomer", email="charlie@kent.gov.uk")
    community = CommunityFactory(
        name="Kent press officers",
        slug="kent-press",
        visibility="public",
        welcome_message="Introduce yourself",
        welcome_message_html="<p>Introduce yourself in the <strong>welcome</strong> thread.</p>",
    )
    MembershipFactory(community=community, user=alice, role="owner")

    sign_in(page, assert_accessible, email=charlie.email, password=TEST_PASSWORD)
    page.goto(community.get_absolute_url())
    page.get_by_role("button", name="Join this community").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Kent press officers")
    expect(page.locator(".app-prose")).to_contain_text("Introduce yourself in the welcome thread.")
    assert_accessible(page)

    page.get_by_role("link", name="Go to Kent press officers").click()
    page.get_by_role("link", name="See who belongs").click()
    expect(page.get_by_role("table")).to_contain_text("Alice Facilitator")
    expect(page.get_by_role("table")).to_contain_text("Charlie Newcomer")
    assert_accessible(page)
    assert page.get_by_role("link", name=re.compile("Download as CSV")).count() == 0
    sign_out(page)
