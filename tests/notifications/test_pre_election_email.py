"""Email in during a pre-election period: the same hold as the web (the rule is in the
forum services), and the author is told why."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forums.models import Post
from members.models import Organisation
from moderation import elections
from notifications.inbound import receive
from tests.factories import OrganisationFactory, make_reply, make_thread
from tests.notifications.test_inbound import address_for, message

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_member(bob):
    bob.organisation = OrganisationFactory(
        name="Camden Council", kind=Organisation.Kind.LOCAL_AUTHORITY, region="London"
    )
    bob.save(update_fields=["organisation"])
    return bob


@pytest.fixture
def answered(community, alice):
    thread = make_thread(community=community, author=alice, title="Flood warnings on social media")
    return make_reply(thread=thread, author=alice, body="We post every hour.")


def councils_period(*, community=None, start_in_days=-1):
    start = timezone.localdate() + timedelta(days=start_in_days)
    return elections.period_create(
        by=None,
        community=community,
        title="May local elections",
        start_date=start,
        end_date=start + timedelta(days=7),
        covers_all=False,
        organisation_kinds=[Organisation.Kind.LOCAL_AUTHORITY],
        guidance_url="https://www.gov.uk/guidance",
    )


def test_a_reply_by_email_from_a_covered_member_is_held_with_a_note(answered, council_member, committed):
    councils_period()
    with committed():
        outcome = receive(message(to=address_for(council_member, answered)))
    assert outcome.status == "accepted"
    assert outcome.post.status == Post.Status.HELD
    assert outcome.post.moderation_reason.startswith("Pre-election period: May local elections")
    [note] = [sent for sent in mail.outbox if "pre-election period" in sent.subject]
    assert note.to == [council_member.email]
    assert "waiting for a facilitator to check it" in note.body


def test_a_new_thread_by_email_from_a_covered_member_is_held(community, council_member, committed):
    councils_period(community=community)
    with committed():
        outcome = receive(message(to="crisis-comms@post.commsnet.example.gov.uk", subject="Purdah and Facebook"))
    assert outcome.post.status == Post.Status.HELD
    assert outcome.post.thread.is_hidden


def test_a_reply_by_email_before_the_period_is_published(answered, council_member, committed):
    councils_period(start_in_days=2)
    with committed():
        outcome = receive(message(to=address_for(council_member, answered)))
    assert outcome.post.status == Post.Status.PUBLISHED
    assert not [sent for sent in mail.outbox if "pre-election period" in sent.subject]


def test_a_reply_by_email_from_a_member_not_covered_is_published(answered, bob, committed):
    councils_period()  # bob has no organisation: only a period covering everyone holds him
    with committed():
        outcome = receive(message(to=address_for(bob, answered)))
    assert outcome.post.status == Post.Status.PUBLISHED
