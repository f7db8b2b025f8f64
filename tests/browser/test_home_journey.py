"""The front door: a new council member signs in, joins a community the home page
suggests, sees its threads there, opens the first unread post and answers a question
waiting for an answer. Zero axe-core violations at 1280 px and 375 px on every home page."""

import re

from playwright.sync_api import expect

from forums.models import Thread
from members.models import Organisation
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread

WIDTHS = [375, 1280]


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def accessible_at_both_widths(page, assert_accessible):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)


def test_new_council_member_joins_reads_and_answers_from_the_home_page(page, assert_accessible, monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)
    leeds = Organisation.objects.create(
        name="Leeds City Council", kind="local_authority", region="Yorkshire and the Humber"
    )
    york = Organisation.objects.create(
        name="City of York Council", kind="local_authority", region="Yorkshire and the Humber"
    )
    nhs = Organisation.objects.create(name="An NHS trust", kind="nhs")
    nadia = UserFactory(username="nadia", display_name="Nadia Hussain", organisation=leeds)
    sam = UserFactory(username="sam", display_name="Sam Price", organisation=york)
    ruth = UserFactory(username="ruth", display_name="Ruth Obi", organisation=nhs)
    councils = CommunityFactory(
        name="Council communications", slug="council-comms", summary="For council comms teams."
    )
    health = CommunityFactory(name="Health campaigns", slug="health", summary="Campaigns in the NHS.")
    MembershipFactory(community=councils, user=sam, role="facilitator")
    MembershipFactory(community=health, user=ruth)
    bins = make_thread(
        community=councils,
        author=sam,
        title="Bin collection changes: how did you tell residents?",
        kind=Thread.Kind.DISCUSSION,
    )
    make_reply(thread=bins, author=sam, body="We used leaflets and a video.")
    waiting = make_thread(
        community=councils, author=sam, title="Who covers out-of-hours press calls?", body="Rota ideas?"
    )
    make_thread(community=councils, author=sam, title="New social media policy", kind=Thread.Kind.ANNOUNCEMENT)

    # First visit: the council community is suggested first, with a one-click join.
    sign_in(page, nadia)
    page.goto("/")
    expect(page.get_by_role("heading", name="Communities you might join")).to_be_visible()
    suggestions = page.locator(".app-thread-row")
    expect(suggestions.first).to_contain_text("Council communications")
    accessible_at_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Join Council communications").click()
    page.wait_for_load_state()
    expect(page.get_by_text("You have joined Council communications.")).to_be_visible()

    # Home now shows the community's threads, the announcement at the top, and the waiting question.
    page.goto("/")
    expect(page.get_by_role("heading", name="Announcement in Council communications")).to_be_visible()
    new = page.locator("ul.app-thread-rows").first
    expect(new).to_contain_text("Bin collection changes")
    expect(page.get_by_text("Who covers out-of-hours press calls?").first).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Dismiss the announcement New social media policy").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Announcement in Council communications")).to_have_count(0)

    # She reads the bin thread; Sam replies again; the home page offers the first unread post.
    page.get_by_role("link", name="Bin collection changes: how did you tell residents?").first.click()
    page.wait_for_url("**/threads/**")
    make_reply(thread=bins, author=sam, body="Update: the video did best of all.")
    page.goto("/")
    page.get_by_role("link", name=re.compile("first unread post in Bin collection changes")).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Update: the video did best of all.")).to_be_visible()
    assert_accessible(page)

    # She answers the waiting question from the home page; it no longer waits.
    page.goto("/")
    waiting_list = page.locator("ul.app-thread-rows").nth(1)
    waiting_list.get_by_role("link", name="Who covers out-of-hours press calls?").click()
    page.wait_for_url(f"**{waiting.get_absolute_url()}")
    page.get_by_label("Your reply").fill("We share a rota with two neighbouring councils.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state()
    expect(page.get_by_text("We share a rota with two neighbouring councils.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_text("Every recent question in your communities has a reply.")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)


def test_tag_page_follow_and_other_home_pages_are_accessible(page, assert_accessible):
    community = CommunityFactory(name="Floods", slug="floods")
    bob = UserFactory(username="bob", display_name="Bob Member")
    MembershipFactory(community=community, user=bob)
    make_thread(community=community, author=bob, title="Flood warnings on social media", tags=["floods"])
    pending = UserFactory(username="penny", display_name="Penny Pending", status="pending")

    page.goto("/")  # a visitor
    expect(page.get_by_role("heading", name="Latest public discussions")).to_be_visible()
    expect(page.get_by_text("Flood warnings on social media")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)

    sign_in(page, pending)
    page.goto("/")
    expect(page.get_by_role("heading", name="Your account is waiting for approval")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)

    sign_in(page, bob)
    page.goto("/tags/floods/")
    page.get_by_role("button", name="Follow the tag floods").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Stop following the tag floods")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
