"""The facilitators' Monday email (manage.py send_facilitator_weekly)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from forums.models import Post, Thread
from notifications.models import CommunityEmailPreference, EmailDelivery, EmailOptOut
from notifications.services import email_stop_all
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread
from tests.notifications.factories import email_to

pytestmark = pytest.mark.django_db


def waiting_question(community, author, title):
    thread = make_thread(community=community, author=author, title=title)
    three_days_ago = timezone.now() - timedelta(days=3)
    Thread.objects.filter(pk=thread.pk).update(created_at=three_days_ago)
    Post.objects.filter(thread=thread).update(created_at=three_days_ago)
    return thread


def unsubscribe_link(message) -> str:
    return (
        message.extra_headers["List-Unsubscribe"]
        .split(">")[0]
        .lstrip("<")
        .replace("https://commsnet.example.gov.uk", "")
    )


def test_facilitator_gets_figures_waiting_questions_requests_and_queue(community, alice, bob):
    waiting = waiting_question(community, bob, "Who approves a crisis statement?")
    answered = make_thread(community=community, author=bob, title="Answered already")
    make_reply(thread=answered, author=alice)
    MembershipFactory(community=community, user=UserFactory(username="applicant"), status="pending")
    held = make_reply(thread=answered, author=bob)
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    call_command("send_facilitator_weekly")
    [message] = email_to(mail.outbox, alice)
    body = message.body
    assert message.subject == "Crisis communications this week"
    assert "New threads: 2 (Up 2)" in body
    assert "Replies: 1 (Up 1)" in body
    assert "Questions asked: 2, answered: 50%" in body
    assert "Requests to join waiting: 1" in body
    assert "Posts in the review queue: 1" in body
    assert f"{waiting.title}: https://commsnet.example.gov.uk{waiting.get_absolute_url()}" in body
    assert "/communities/crisis-comms/health/" in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_members_who_do_not_facilitate_get_no_weekly_email(community, alice, bob):
    call_command("send_facilitator_weekly")
    assert email_to(mail.outbox, bob) == []


def test_weekly_email_is_safe_to_run_twice(community, alice):
    call_command("send_facilitator_weekly")
    call_command("send_facilitator_weekly")
    assert len(email_to(mail.outbox, alice)) == 1
    assert EmailDelivery.objects.filter(recipient=alice, kind="facilitator_weekly").count() == 1


def test_one_email_covers_every_community_the_facilitator_runs(community, alice):
    second = CommunityFactory(name="Internal comms", slug="internal-comms")
    MembershipFactory(community=second, user=alice, role="owner")
    call_command("send_facilitator_weekly")
    [message] = email_to(mail.outbox, alice)
    assert message.subject == "Your 2 communities this week"
    assert message.body.index("Crisis communications") < message.body.index("Internal comms")


def test_archived_communities_are_left_out(alice, db):
    old = CommunityFactory(name="Old", slug="old", status="archived")
    MembershipFactory(community=old, user=alice, role="facilitator")
    call_command("send_facilitator_weekly")
    assert email_to(mail.outbox, alice) == []


def test_one_click_unsubscribe_turns_off_only_the_weekly_email(community, alice):
    call_command("send_facilitator_weekly")
    [message] = email_to(mail.outbox, alice)
    response = Client().post(unsubscribe_link(message))
    assert response.status_code == 200
    assert "the weekly summary for facilitators" in response.content.decode()
    assert EmailOptOut.objects.filter(user=alice, kind="facilitator_weekly").exists()
    # Nothing else changed: no community was set to "No email".
    assert not CommunityEmailPreference.objects.filter(user=alice).exists()
    EmailDelivery.objects.all().delete()
    mail.outbox.clear()
    call_command("send_facilitator_weekly")
    assert email_to(mail.outbox, alice) == []


def test_stopping_all_email_stops_the_weekly_email(community, alice):
    email_stop_all(user=alice)
    call_command("send_facilitator_weekly")
    assert email_to(mail.outbox, alice) == []
