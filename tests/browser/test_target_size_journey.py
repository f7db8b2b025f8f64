"""WCAG 2.2 target size (axe-core's `target-size`, which `assert_accessible` turns on) on
the pages with the most small controls: a thread's post actions as a member, the post's
author, a facilitator and a site admin, and the moderation pages, on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from moderation.services import flag_create, post_hide
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread

WIDTHS = [1280, 375]


def sign_in(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.fixture
def busy_thread(transactional_db):
    """A question with replies, one of them nested, one reported and one hidden, so every
    post action shows for someone."""
    community = CommunityFactory(name="Crisis communications", slug="crisis-communications", member_count=4)
    users = {}
    for username, role in [("priya", "member"), ("tom", "member"), ("marcus", "facilitator")]:
        users[username] = UserFactory(username=username, display_name=username.capitalize())
        MembershipFactory(community=community, user=users[username], role=role)
    users["sam"] = UserFactory(username="sam", display_name="Sam", is_staff=True, is_superuser=True)
    thread = make_thread(community=community, author=users["priya"], title="Flood warnings overnight?")
    reply = make_reply(thread=thread, author=users["tom"], body="Our duty officer covers it.")
    make_reply(thread=thread, author=users["priya"], body="Thanks, who rings them?", parent=reply)
    reported = make_reply(thread=thread, author=users["tom"], body="Ring 07700 900461.")
    flag_create(post=reported, reporter=users["priya"], reason="personal_data")
    hidden = make_reply(thread=thread, author=users["tom"], body="Off topic.")
    post_hide(post=hidden, actor=users["marcus"], reason="Off topic")
    return thread, users


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", ["priya", "tom", "marcus", "sam"])
def test_post_actions_meet_target_size(page, assert_accessible, busy_thread, username, width):
    thread, users = busy_thread
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, users[username])
    page.goto(thread.get_absolute_url())
    assert page.locator(".app-post-actions li").count() >= 4
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_moderation_pages_meet_target_size(page, assert_accessible, busy_thread, width):
    thread, users = busy_thread
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, users["sam"])
    for url, role, shown in [
        ("/communities/crisis-communications/review/", "link", "Hide the post by Tom"),
        ("/communities/crisis-communications/log/", "cell", "Hid a post"),
        ("/review/", "link", "Hide the post by Tom"),
        ("/review/log/", "cell", "Hid a post"),
        (f"/review/threads/{thread.pk}/", "button", "Rename thread"),
    ]:
        page.goto(url)
        expect(page.get_by_role(role, name=shown).first).to_be_visible()
        assert_accessible(page)
