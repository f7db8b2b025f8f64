import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from forums.models import Thread, ThreadReadState, ThreadSubscription
from notifications.digests import period
from notifications.models import EmailDelivery
from notifications.tokens import read_reply_token
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread
from tests.notifications.factories import email_to, set_mode


@pytest.fixture
def yesterday():
    key, start, end = period("daily")
    return start + timedelta(hours=10)


def at(thread, moment, created=None):
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=moment, created_at=created or moment)
    thread.refresh_from_db()
    return thread


def test_daily_digest_groups_by_community_new_threads_first_and_highlights_unanswered(
    community, alice, bob, yesterday
):
    old = at(
        make_thread(community=community, author=alice, title="Which scheduling tool?"),
        yesterday,
        yesterday - timedelta(days=9),
    )
    new = at(
        make_thread(community=community, author=alice, title="Snow day statements"), yesterday - timedelta(hours=1)
    )
    second = CommunityFactory(name="Internal comms", slug="internal-comms")
    MembershipFactory(community=second, user=bob)
    at(make_thread(community=second, author=bob, title="Staff survey results", kind="discussion"), yesterday)
    make_reply(thread=Thread.objects.get(title="Staff survey results"), author=bob)
    at(Thread.objects.get(title="Staff survey results"), yesterday)
    call_command("send_digests", "--daily")
    [message] = email_to(mail.outbox, bob)
    body = message.body
    assert body.index("Crisis communications") < body.index("Internal comms")
    assert body.index(new.title) < body.index(old.title)
    assert f"New: {new.title} (not answered yet: can you help?)" in body
    assert f"\n{old.title} (not answered yet" in body
    assert "Staff survey results\n" in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.subject == "Your daily summary from CommsNet: 3 conversations"


def test_digest_leaves_out_threads_read_since_their_last_activity(community, alice, bob, yesterday):
    read = at(make_thread(community=community, author=alice, title="Already read"), yesterday)
    ThreadReadState.objects.create(user=bob, thread=read, last_read_at=yesterday + timedelta(minutes=5))
    at(make_thread(community=community, author=alice, title="Not read yet"), yesterday)
    call_command("send_digests", "--daily")
    [message] = email_to(mail.outbox, bob)
    assert "Not read yet" in message.body
    assert "Already read" not in message.body


def test_digest_is_safe_to_run_twice(community, alice, bob, yesterday):
    at(make_thread(community=community, author=alice), yesterday)
    call_command("send_digests", "--daily")
    call_command("send_digests", "--daily")
    assert len(email_to(mail.outbox, bob)) == 1
    assert EmailDelivery.objects.filter(recipient=bob, kind="digest").count() == 1


def test_no_digest_when_there_is_nothing_new(community, alice, bob):
    at(make_thread(community=community, author=alice), timezone.now() - timedelta(days=5))
    call_command("send_digests", "--daily")
    assert email_to(mail.outbox, bob) == []
    assert EmailDelivery.objects.get(recipient=bob).status == "skipped"


def test_weekly_digest_goes_only_to_weekly_members(community, alice, bob, charlie):
    set_mode(bob, community, "weekly")
    MembershipFactory(community=community, user=charlie)
    key, start, end = period("weekly")
    at(make_thread(community=community, author=alice, title="Election period guidance"), start + timedelta(days=2))
    call_command("send_digests", "--weekly")
    assert "Election period guidance" in email_to(mail.outbox, bob)[0].body
    assert email_to(mail.outbox, charlie) == []
    assert email_to(mail.outbox, alice) == []


def test_members_who_chose_no_email_get_no_digest(community, alice, bob, yesterday):
    set_mode(bob, community, "none")
    at(make_thread(community=community, author=alice), yesterday)
    call_command("send_digests", "--daily")
    assert email_to(mail.outbox, bob) == []


def test_hidden_threads_are_left_out_for_members(community, alice, bob, yesterday):
    hidden = at(make_thread(community=community, author=alice, title="Hidden by a facilitator"), yesterday)
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    at(make_thread(community=community, author=alice, title="Visible thread"), yesterday)
    call_command("send_digests", "--daily")
    assert "Hidden by a facilitator" not in email_to(mail.outbox, bob)[0].body


def test_period_keys():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 21, 7, 0, tzinfo=ZoneInfo("Europe/London"))  # a Saturday
    assert period("daily", now)[0] == "digest-daily-2026-11-20"
    key, start, end = period("weekly", now)
    assert (key, start.date().isoformat(), end.date().isoformat()) == (
        "digest-weekly-2026-w46",
        "2026-11-09",
        "2026-11-16",
    )


def test_send_digests_needs_a_period():
    with pytest.raises(CommandError):
        call_command("send_digests")


def _posts_at(thread, moment):
    thread.posts.update(created_at=moment)


def test_digest_shows_who_wrote_and_the_opening_words_of_each_new_post(community, alice, bob, yesterday):
    erin = UserFactory(display_name="Erin Evans")
    MembershipFactory(community=community, user=erin)
    thread = make_thread(
        community=community, author=alice, title="Pre-election comments", body="Do you **hide** <b>them</b>?"
    )
    make_reply(thread=thread, author=erin, body="We reply once, then leave them. " + "word " * 40)
    at(thread, yesterday)
    _posts_at(thread, yesterday)
    call_command("send_digests", "--daily")
    [message] = email_to(mail.outbox, bob)
    assert f"{alice.name} asked: Do you hide them?" in message.body
    assert f"{erin.name} replied: We reply once, then leave them. word" in message.body
    assert "2 new posts, 1 reply in all" in message.body
    html = message.alternatives[0][0]
    assert "<b>them</b>" not in html
    assert f"<strong>{erin.name}</strong> replied: We reply once" in html


def test_digest_gives_each_thread_a_reply_address_for_the_reader(community, alice, bob, yesterday):
    thread = at(make_thread(community=community, author=alice, title="Pre-election comments"), yesterday)
    _posts_at(thread, yesterday)
    call_command("send_digests", "--daily")
    [message] = email_to(mail.outbox, bob)
    [local] = re.findall(r"Reply by email: reply\+([a-z0-9.]+)@reply\.commsnet\.example\.gov\.uk", message.body)
    token = read_reply_token(local)
    assert (token.user_id, token.thread_id, token.post_id) == (bob.pk, thread.pk, thread.posts.get().pk)
    assert "mailto:reply+" in message.alternatives[0][0]
    assert "subject=Re%3A%20%5BCrisis%20communications%5D%20Pre-election%20comments" in message.alternatives[0][0]


def test_a_locked_thread_in_the_digest_has_no_reply_address(community, alice, bob, yesterday):
    thread = at(make_thread(community=community, author=alice, title="Pre-election comments"), yesterday)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    call_command("send_digests", "--daily")
    [message] = email_to(mail.outbox, bob)
    assert "Pre-election comments" in message.body
    assert "Reply by email" not in message.body


def test_a_muted_thread_never_appears_in_the_digest(community, alice, bob, yesterday):
    muted = at(make_thread(community=community, author=alice, title="Office move"), yesterday)
    at(make_thread(community=community, author=alice, title="Storm Bert"), yesterday)
    ThreadSubscription.objects.create(user=bob, thread=muted, level="muted")
    call_command("send_digests", "--daily")
    [message] = email_to(mail.outbox, bob)
    assert "Storm Bert" in message.body
    assert "Office move" not in message.body
