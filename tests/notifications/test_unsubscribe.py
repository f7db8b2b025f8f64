"""Unsubscribe means it: 'No email' stops all of a community's email but watched
threads, 'Stop all email' stops everything but account messages, and each email's
one-click link stops exactly what that email was about."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from communities.models import Membership
from forums.models import ThreadSubscription
from forums.services import answer_accept
from notifications.models import CommunityEmailPreference, EmailKindPreference, EmailStop, Notification
from tests.factories import make_reply, make_thread
from tests.notifications.factories import email_to, set_mode


def one_click(message) -> None:
    url = message.extra_headers["List-Unsubscribe"].split(", ")[0].strip("<>")
    path = url.removeprefix("https://commsnet.example.gov.uk")
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200


def test_no_email_from_a_community_stops_replies_to_your_posts(community, alice, bob, committed):
    set_mode(alice, community, "none")
    thread = make_thread(community=community, author=alice, title="Flood warnings")
    with committed():
        make_reply(thread=thread, author=bob)
    assert email_to(mail.outbox, alice) == []
    assert Notification.objects.filter(recipient=alice, kind="reply").exists()


def test_no_email_from_a_community_still_sends_threads_you_watch(community, alice, bob, committed):
    set_mode(alice, community, "none")
    thread = make_thread(community=community, author=bob, title="Flood warnings")
    ThreadSubscription.objects.create(user=alice, thread=thread, level="watching")
    with committed():
        make_reply(thread=thread, author=bob, body="Update: the river has peaked.")
    [message] = email_to(mail.outbox, alice)
    assert "the river has peaked" in message.body


def test_stopping_all_email_stops_posts_and_notifications(community, alice, bob, committed):
    set_mode(alice, community, "every_post")
    EmailStop.objects.create(user=alice)
    thread = make_thread(community=community, author=alice, title="Flood warnings")
    with committed():
        make_reply(thread=thread, author=bob)
        make_thread(community=community, author=bob, title="Snow days")
    assert email_to(mail.outbox, alice) == []


def test_stopping_all_email_keeps_account_emails(client, alice):
    EmailStop.objects.create(user=alice)
    client.post(reverse("account_reset_password"), {"email": alice.email})
    assert [m.to for m in mail.outbox] == [[alice.email]]


def test_notification_emails_carry_one_click_unsubscribe_for_their_kind(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice, title="Which tool?", kind="question")
    with committed():
        answer = make_reply(thread=thread, author=bob)
    mail.outbox.clear()
    with committed():
        answer_accept(thread=thread, post=answer, by=alice)
    [message] = email_to(mail.outbox, bob)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    one_click(message)

    assert EmailKindPreference.objects.get(user=bob, kind="answer_accepted").email_immediately is False
    assert not EmailKindPreference.objects.filter(user=bob, kind="reply", email_immediately=False).exists()


def test_a_post_emails_unsubscribe_turns_the_community_off_and_mutes_the_thread(community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    ThreadSubscription.objects.create(
        user=bob, thread=make_thread(community=community, author=alice), level="watching"
    )
    with committed():
        thread = make_thread(community=community, author=alice, title="Flood warnings")
    [message] = [m for m in email_to(mail.outbox, bob) if "Flood warnings" in m.subject]

    one_click(message)

    assert CommunityEmailPreference.objects.get(user=bob, community=community).mode == "none"
    assert ThreadSubscription.objects.get(user=bob, thread=thread).level == "muted"


def test_the_unsubscribe_page_says_what_stops(client, community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice, title="Flood warnings")
    [message] = email_to(mail.outbox, bob)
    path = (
        message.extra_headers["List-Unsubscribe"]
        .split(", ")[0]
        .strip("<>")
        .removeprefix("https://commsnet.example.gov.uk")
    )
    page = client.get(path).content.decode()
    assert "posts and summaries from Crisis communications" in page
    assert "emails about the thread “Flood warnings”" in page
    assert "You will still get new posts in threads you choose to watch." in page


def test_the_unsubscribe_page_does_not_name_a_thread_its_member_can_no_longer_see(
    client, private_community, alice, bob, committed
):
    set_mode(bob, private_community, "every_post")
    with committed():
        make_thread(community=private_community, author=alice, title="Live incident briefing")
    [message] = email_to(mail.outbox, bob)
    Membership.objects.filter(user=bob, community=private_community).delete()
    path = (
        message.extra_headers["List-Unsubscribe"]
        .split(", ")[0]
        .strip("<>")
        .removeprefix("https://commsnet.example.gov.uk")
    )
    assert "Live incident briefing" not in client.get(path).content.decode()


# The settings page


def test_settings_say_what_each_choice_sends(client, community, bob):
    client.force_login(bob)
    page = client.get(reverse("email_settings")).content.decode()
    assert "except new posts in threads you watch" in page
    assert "Stop all email except account and security messages" in page


def test_stop_all_email_and_start_again(client, bob):
    client.force_login(bob)
    response = client.post(reverse("email_stop_all"))
    assert response.status_code == 302
    assert EmailStop.objects.filter(user=bob).exists()
    assert "You have stopped all email." in client.get(reverse("email_settings")).content.decode()

    client.post(reverse("email_start_again"))

    assert not EmailStop.objects.filter(user=bob).exists()


@pytest.mark.parametrize("name", ["email_stop_all", "email_start_again"])
def test_stop_and_start_refuse_get(client, bob, name):
    client.force_login(bob)
    assert client.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", ["email_stop_all", "email_start_again"])
def test_stop_and_start_need_signing_in(client, db, name):
    response = client.post(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not EmailStop.objects.exists()
