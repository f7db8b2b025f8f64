"""Moderation, end to end: a new member's first reply is held and a facilitator
approves it from the review queue; another member reports a post, the facilitator
hides it with a reason, the author sees the reason, and the log shows both."""

import re

from playwright.sync_api import expect

from forums.models import Post
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread
from tests.moderation.factories import moderation_settings


def sign_in_as(page, assert_accessible, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_held_post_is_approved_then_a_reported_post_is_hidden_with_a_reason(page, assert_accessible):
    marcus = UserFactory(username="marcus", display_name="Marcus Okafor")
    priya = UserFactory(username="priya", display_name="Priya Shah")
    tom = UserFactory(username="tom", display_name="Tom Hughes")
    community = CommunityFactory(name="Crisis communications", slug="crisis-communications", member_count=3)
    MembershipFactory(community=community, user=marcus, role="facilitator")
    MembershipFactory(community=community, user=priya)
    MembershipFactory(community=community, user=tom)
    moderation_settings(community, hold_first_posts=1)
    thread = make_thread(
        community=community, author=marcus, title="Flood warnings: who posts overnight?", body="How do you cover it?"
    )

    # Priya is new here: her first reply waits for approval, and she can see it does.
    sign_in_as(page, assert_accessible, priya)
    page.goto(thread.get_absolute_url())
    assert_accessible(page)
    reply_box = page.get_by_label(re.compile("Your reply|Reply", re.I)).first
    reply_box.fill("Our duty officer covers it: ring 07700 900461.")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Awaiting approval").first.wait_for()
    assert_accessible(page)
    held = Post.objects.get(author=priya)
    assert held.status == Post.Status.HELD

    # Marcus sees the waiting count in the header and approves it from the queue.
    sign_in_as(page, assert_accessible, marcus)
    page.get_by_text("1 to review").wait_for()
    page.get_by_role("link", name=re.compile("Crisis communications")).first.click()
    page.wait_for_url("**/communities/crisis-communications/review/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Approve")).click()
    page.get_by_text("Post approved and published.").wait_for()
    assert_accessible(page)
    assert Post.objects.get(pk=held.pk).status == Post.Status.PUBLISHED

    # Tom reports Priya's post for sharing personal data.
    sign_in_as(page, assert_accessible, tom)
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Report post by Priya Shah").click()
    assert_accessible(page)
    page.get_by_label("Shares personal data").check()
    page.get_by_label(re.compile("Tell the facilitators more")).fill("It gives a personal mobile number.")
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("A facilitator will look at the post").wait_for()
    assert_accessible(page)

    # Marcus hides it with a reason.
    sign_in_as(page, assert_accessible, marcus)
    page.goto("/communities/crisis-communications/review/")
    expect(page.get_by_text("Shares personal data").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Hide the post by Priya Shah").click()
    assert_accessible(page)
    page.get_by_label("Reason").fill("Please do not share personal phone numbers.")
    page.get_by_role("button", name="Hide post").click()
    page.get_by_text("Post hidden.").wait_for()
    assert_accessible(page)

    # Priya sees the reason.
    sign_in_as(page, assert_accessible, priya)
    page.goto("/review/mine/")
    page.get_by_text("Reason: Please do not share personal phone numbers.").wait_for()
    assert_accessible(page)

    # The log shows both decisions.
    sign_in_as(page, assert_accessible, marcus)
    page.goto("/communities/crisis-communications/log/")
    page.get_by_role("cell", name="Approved a post").wait_for()
    page.get_by_role("cell", name="Hid a post").wait_for()
    assert_accessible(page)


def test_facilitator_tools_are_accessible(page, assert_accessible):
    sam = UserFactory(username="sam", display_name="Sam Adeyemi", is_staff=True, is_superuser=True)
    hannah = UserFactory(username="hannah", display_name="Hannah Cole")
    community = CommunityFactory(name="Accessible content", slug="accessible-content", member_count=1)
    MembershipFactory(community=community, user=hannah)
    thread = make_thread(community=community, author=hannah, title="Alt text for charts")
    reply = make_reply(thread=thread, author=hannah, body="Describe the trend, not every bar.")
    sign_in_as(page, assert_accessible, sam)
    for url in [
        f"/review/threads/{thread.pk}/",
        f"/review/posts/{reply.pk}/split/",
        "/communities/accessible-content/moderate/hannah/",
        "/communities/accessible-content/review/settings/",
        "/review/",
        "/review/log/?date_from=not-a-date",
    ]:
        page.goto(url)
        assert_accessible(page)
    # A form sent back with errors keeps its error summary accessible.
    page.goto(f"/review/threads/{thread.pk}/")
    page.get_by_label("New title").fill("")
    page.get_by_role("button", name="Rename thread").click()
    page.get_by_text("Enter a title for the thread").first.wait_for()
    assert_accessible(page)
    page.goto("/communities/accessible-content/moderate/hannah/")
    page.get_by_role("button", name="Mute").click()
    page.get_by_text("Enter the date the mute ends").first.wait_for()
    assert_accessible(page)
