"""Short answers: who may write them, their limits and review dates, and the daily
reminder to facilitators, with the clock set."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from forums.models import Thread
from forums.services import answer_accept
from forums.short_answers import (
    MAX_SHORT_ANSWER,
    short_answer_confirm,
    short_answer_remove,
    short_answer_save,
    short_answers_due,
)
from notifications.short_answer_reminders import remind_short_answers
from tests.factories import MembershipFactory, UserFactory, make_reply

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def answered(thread, alice):
    reply = make_reply(thread=thread, author=alice, body="Hide them and reply privately.")
    return answer_accept(thread=thread, post=reply, by=thread.author)


def in_days(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def test_the_asker_writes_a_short_answer_confirmed_now(answered, bob):
    short_answer_save(thread=answered, by=bob, body="Hide **abusive** comments.", review_by=in_days(90))
    thread = Thread.objects.get(pk=answered.pk)
    assert thread.short_answer == "Hide **abusive** comments."
    assert "<strong>abusive</strong>" in thread.short_answer_html
    assert thread.short_answer_confirmed_at == NOW
    assert thread.short_answer_review_by == in_days(90)


def test_the_short_answer_is_sanitised(answered, bob):
    short_answer_save(thread=answered, by=bob, body="Hi <script>alert(1)</script>", review_by=in_days(9))
    assert "<script" not in Thread.objects.get(pk=answered.pk).short_answer_html


def test_a_facilitator_may_write_the_short_answer(answered, alice):
    short_answer_save(thread=answered, by=alice, body="Hide them.", review_by=in_days(30))
    assert Thread.objects.get(pk=answered.pk).short_answer == "Hide them."


def test_another_member_may_not_write_the_short_answer(answered, community):
    someone = UserFactory(username="someone")
    MembershipFactory(community=community, user=someone)
    with pytest.raises(PermissionError):
        short_answer_save(thread=answered, by=someone, body="Mine.", review_by=in_days(30))


def test_an_unanswered_question_has_no_short_answer(thread, bob):
    with pytest.raises(PermissionError):
        short_answer_save(thread=thread, by=bob, body="Too soon.", review_by=in_days(30))


def test_a_short_answer_over_the_limit_is_refused(answered, bob):
    with pytest.raises(ValidationError, match="characters or fewer"):
        short_answer_save(thread=answered, by=bob, body="x" * (MAX_SHORT_ANSWER + 1), review_by=in_days(30))


@pytest.mark.parametrize("days", [0, -1, 2 * 365 + 1])
def test_a_review_date_today_past_or_over_two_years_ahead_is_refused(answered, bob, days):
    with pytest.raises(ValidationError):
        short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(days))


def test_confirming_records_when_and_the_next_review_date(answered, bob, monkeypatch):
    short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(10))
    later = NOW + datetime.timedelta(days=12)
    monkeypatch.setattr(timezone, "now", lambda: later)
    short_answer_confirm(thread=answered, by=bob, review_by=in_days(200))
    thread = Thread.objects.get(pk=answered.pk)
    assert thread.short_answer_confirmed_at == later
    assert thread.short_answer_review_by == in_days(200)
    assert thread.short_answer == "Hide them."


def test_removing_clears_the_short_answer(answered, bob):
    short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(10))
    short_answer_remove(thread=answered, by=bob)
    thread = Thread.objects.get(pk=answered.pk)
    assert (thread.short_answer, thread.short_answer_html, thread.short_answer_review_by) == ("", "", None)


def test_a_short_answer_is_due_on_its_review_date_not_before(answered, bob):
    short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(10))
    assert list(short_answers_due(in_days(9))) == []
    assert list(short_answers_due(in_days(10))) == [answered]
    assert list(short_answers_due(in_days(11))) == [answered]


def test_the_reminder_emails_each_facilitator_once(answered, bob, alice):
    short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(10))
    assert remind_short_answers(in_days(10)) == 1
    assert remind_short_answers(in_days(10)) == 0
    assert remind_short_answers(in_days(11)) == 0
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert "Election period comments" in mail.outbox[0].body
    assert answered.get_absolute_url() in mail.outbox[0].body


def test_a_confirmed_short_answer_is_reminded_of_again_at_its_new_date(answered, bob):
    short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(10))
    remind_short_answers(in_days(10))
    short_answer_confirm(thread=answered, by=bob, review_by=in_days(40))
    assert remind_short_answers(in_days(39)) == 0
    assert remind_short_answers(in_days(40)) == 1


def test_hidden_threads_are_not_reminded_of(answered, bob):
    short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(10))
    Thread.objects.filter(pk=answered.pk).update(is_hidden=True)
    assert remind_short_answers(in_days(10)) == 0


def test_the_daily_command_runs_twice_safely(answered, bob, monkeypatch, capsys):
    short_answer_save(thread=answered, by=bob, body="Hide them.", review_by=in_days(1))
    monkeypatch.setattr(timezone, "now", lambda: NOW + datetime.timedelta(days=1))
    call_command("remind_short_answers")
    call_command("remind_short_answers")
    assert capsys.readouterr().out.splitlines() == ["Sent 1 short answer reminder.", "Sent 0 short answer reminders."]
    assert len(mail.outbox) == 1
