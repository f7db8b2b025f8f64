"""Priya manages her email: reads her notifications, chooses every post for one
community, stops watching a thread, and later unsubscribes from an email's link
without signing in."""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from forums.models import ThreadSubscription
from notifications.models import CommunityEmailPreference, EmailKindPreference, Notification
from notifications.tokens import make_unsubscribe_token
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_thread


def test_member_changes_email_settings_and_unsubscribes_in_one_click(page, assert_accessible, browser, live_server):
    priya = UserFactory(username="priya", display_name="Priya Shah", email="priya.shah@dacorum.gov.uk")
    marcus = UserFactory(username="marcus", display_name="Marcus Okafor")
    community = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    MembershipFactory(community=community, user=priya)
    MembershipFactory(community=community, user=marcus, role="facilitator")
    thread = make_thread(community=community, author=marcus, title="Scheduling tools: what do you use?")
    ThreadSubscription.objects.create(user=priya, thread=thread, level="watching")
    Notification.objects.create(
        recipient=priya,
        kind="reply",
        text="Marcus Okafor replied to your thread “Comments during the pre-election period”",
        url=thread.get_absolute_url(),
        thread=thread,
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(priya.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    # The bell in the header shows one unread notification.
    bell = page.get_by_role("link", name=re.compile(r"Notifications\s*1 unread"))
    bell.click()
    page.wait_for_url("**/notifications/")
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url("**/notifications/")
    expect(page.get_by_text("All notifications marked as read.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Choose what we email you").click()
    page.wait_for_url("**/settings/email/")
    assert_accessible(page)
    page.get_by_role("group", name="Email from Social media and digital engagement").get_by_label(
        "Email me every post"
    ).check()
    page.get_by_label("Your answer was accepted").uncheck()
    page.get_by_role("button", name="Save email settings").click()
    page.wait_for_url("**/settings/email/")
    expect(page.get_by_text("Your email settings have been saved.")).to_be_visible()
    assert_accessible(page)
    assert CommunityEmailPreference.objects.get(user=priya, community=community).mode == "every_post"
    assert EmailKindPreference.objects.get(user=priya, kind="answer_accepted").email_immediately is False

    page.get_by_role("button", name=re.compile(r"^Stop watching.*Scheduling tools")).click()
    page.wait_for_url("**/settings/email/")
    expect(page.get_by_text("You are not watching any threads.")).to_be_visible()
    assert_accessible(page)
    assert not ThreadSubscription.objects.filter(user=priya).exists()

    # Later, signed out, from the link at the bottom of an email.
    signed_out = browser.new_context(base_url=live_server.url).new_page()
    token = make_unsubscribe_token(user_id=priya.pk, community_ids=[community.pk])
    signed_out.goto(reverse("email_unsubscribe", args=[token]))
    expect(signed_out.get_by_role("heading", level=1)).to_have_text(
        "Stop emails from Social media and digital engagement"
    )
    assert_accessible(signed_out)
    signed_out.get_by_role("button", name="Unsubscribe").click()
    expect(signed_out.get_by_role("heading", name="You have unsubscribed")).to_be_visible()
    assert_accessible(signed_out)
    assert CommunityEmailPreference.objects.get(user=priya, community=community).mode == "none"
    signed_out.context.close()


def test_member_stops_all_email_and_leaves_a_thread_from_its_email(
    page, assert_accessible, browser, live_server, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    priya = UserFactory(username="priya", display_name="Priya Shah", email="priya.shah@dacorum.gov.uk")
    marcus = UserFactory(username="marcus", display_name="Marcus Okafor")
    community = CommunityFactory(name="Crisis communications", slug="crisis-comms")
    MembershipFactory(community=community, user=priya)
    MembershipFactory(community=community, user=marcus, role="facilitator")
    CommunityEmailPreference.objects.create(user=priya, community=community, mode="every_post")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(priya.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/settings/email/")
    expect(page.get_by_text("except new posts in threads you watch")).to_be_visible()
    page.get_by_role("button", name="Stop all email except account and security messages").click()
    page.wait_for_url("**/settings/email/")
    expect(page.get_by_text("You have stopped all email.")).to_be_visible()
    assert_accessible(page)
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(community=community, author=marcus, title="Storm Bert: road closures")
    assert [m for m in mail.outbox if priya.email in m.to] == []

    page.get_by_role("button", name="Start email again").click()
    page.wait_for_url("**/settings/email/")
    expect(page.get_by_text("We will email you as your settings below say.")).to_be_visible()
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(community=community, author=marcus, title="Flood warnings on social media")
    [message] = [m for m in mail.outbox if priya.email in m.to]

    # Signed out, from the email's own unsubscribe link.
    link = re.search(r"https?://\S+/email/unsubscribe/\S+/", message.body).group(0)
    signed_out = browser.new_context(base_url=live_server.url).new_page()
    signed_out.goto(link[link.index("/email/") :])
    expect(signed_out.get_by_text("emails about the thread “Flood warnings on social media”")).to_be_visible()
    assert_accessible(signed_out)
    signed_out.get_by_role("button", name="Unsubscribe").click()
    expect(signed_out.get_by_role("heading", name="You have unsubscribed")).to_be_visible()
    assert CommunityEmailPreference.objects.get(user=priya, community=community).mode == "none"
    assert ThreadSubscription.objects.get(user=priya, thread__title="Flood warnings on social media").level == "muted"
    signed_out.context.close()
