"""Priya, a council press officer, opens Latest, narrows it to councils like hers in her
own communities, pages on, and opens a thread; on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from members.models import Organisation
from tests.factories import (
    TEST_PASSWORD,
    CommunityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_thread,
)
from tests.forums.factories import bulk_threads


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("width", [1280, 375])
def test_member_filters_latest_pages_on_and_opens_a_thread(page, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    council = OrganisationFactory(name="Dacorum", kind=Organisation.Kind.LOCAL_AUTHORITY, region="East of England")
    other_council = OrganisationFactory(
        name="Hertsmere", kind=Organisation.Kind.LOCAL_AUTHORITY, region="East of England"
    )
    trust = OrganisationFactory(name="A trust", kind=Organisation.Kind.NHS, region="East of England")
    priya = UserFactory(username="priya", display_name="Priya Shah", organisation=council)
    neighbour = UserFactory(username="neighbour", display_name="Nell Ward", organisation=other_council)
    nurse = UserFactory(username="nurse", display_name="Nia Jones", organisation=trust)
    social = CommunityFactory(name="Social media", slug="social-media")
    elsewhere = CommunityFactory(name="Elsewhere", slug="elsewhere")
    for user in (priya, neighbour, nurse):
        MembershipFactory(community=social, user=user)
    MembershipFactory(community=elsewhere, user=neighbour)
    bulk_threads(community=social, author=nurse, count=25)
    wanted = make_thread(community=social, author=neighbour, title="Ward boundary review comments")
    make_thread(community=elsewhere, author=neighbour, title="Not in Priya's communities")

    page.goto("/latest/")
    expect(page.get_by_role("heading", name="Latest")).to_be_visible()
    assert_accessible(page)

    sign_in(page, priya)
    page.goto("/")
    if width < 641:  # GOV.UK's header folds its navigation behind a Menu button on phones
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Latest", exact=True).click()
    page.wait_for_url("**/latest/")
    expect(page.locator(".app-thread-row")).to_have_count(20)
    assert_accessible(page)

    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    assert_accessible(page)

    page.get_by_text("Filter and sort threads").click()
    page.get_by_label("Communities", exact=True).select_option("mine")
    page.get_by_label("Organisations like mine").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]like_mine=on"))
    expect(page).to_have_url(re.compile(r"[?&]communities=mine"))
    expect(page.locator(".app-thread-row")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name=wanted.title).click()
    page.wait_for_url(f"**{wanted.get_absolute_url()}")
    expect(page.get_by_role("heading", name=wanted.title)).to_be_visible()
