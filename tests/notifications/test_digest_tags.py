"""Followed tags feed the digest: threads in the period carrying a tag the member
follows, that they may read, from communities they have not joined, in their own
section ("From tags you follow") of a digest the member already gets."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from taggit.models import Tag

from communities.models import Membership
from forums.models import TagFollow, Thread
from notifications.digests import period
from notifications.selectors import still_may_email
from tests.factories import CommunityFactory, MembershipFactory, make_thread
from tests.notifications.factories import email_to, set_mode

pytestmark = pytest.mark.django_db

SECTION = "From tags you follow"


@pytest.fixture
def yesterday():
    _, start, _ = period("daily")
    return start + timedelta(hours=10)


@pytest.fixture
def roads(alice):
    """A public community bob has not joined, where alice writes."""
    roads = CommunityFactory(name="Highways communications", slug="highways")
    MembershipFactory(community=roads, user=alice)
    return roads


def at(thread, moment):
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=moment, created_at=moment)
    thread.refresh_from_db()
    return thread


def follow(user, name: str) -> None:
    TagFollow.objects.create(user=user, tag=Tag.objects.get(name=name))


def tagged_thread(community, author, moment, title="Gritting routes this winter", tag="flooding"):
    return at(make_thread(community=community, author=author, title=title, tags=[tag]), moment)


def test_a_thread_with_a_followed_tag_from_a_community_not_joined_joins_the_digest(
    community, alice, bob, roads, yesterday
):
    tagged_thread(roads, alice, yesterday, title="Flood warnings overnight")
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    [message] = email_to(mail.outbox, bob)
    section = message.body[message.body.index(SECTION) :]
    assert "New: Flood warnings overnight" in section
    assert "In Highways communications" in section
    assert "Reply by email" not in section  # bob is not a member there: he cannot reply
    assert message.subject == "Your daily summary from CommsNet: 1 conversation"
    html = message.alternatives[0][0]
    assert f"<h2>{SECTION}</h2>" in html
    assert "Flood warnings overnight" in html


def test_community_threads_come_first_and_tag_threads_after(community, alice, bob, roads, yesterday):
    at(make_thread(community=community, author=alice, title="Snow day statements"), yesterday)
    tagged_thread(roads, alice, yesterday, title="Flood warnings overnight")
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    body = email_to(mail.outbox, bob)[0].body
    assert body.index("Snow day statements") < body.index(SECTION) < body.index("Flood warnings overnight")


def test_threads_without_a_followed_tag_stay_out(community, alice, bob, roads, yesterday):
    tagged_thread(roads, alice, yesterday, title="Parking permits", tag="parking")
    at(make_thread(community=community, author=alice, title="Snow day statements"), yesterday)
    TagFollow.objects.create(user=bob, tag=Tag.objects.create(name="flooding"))

    call_command("send_digests", "--daily")

    body = email_to(mail.outbox, bob)[0].body
    assert "Parking permits" not in body
    assert SECTION not in body


def test_a_thread_in_a_community_the_member_belongs_to_follows_their_choice_there(
    community, alice, bob, roads, yesterday
):
    MembershipFactory(community=roads, user=bob)
    set_mode(bob, roads, "none")
    tagged_thread(roads, alice, yesterday, title="Flood warnings overnight")
    at(make_thread(community=community, author=alice, title="Snow day statements"), yesterday)
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    assert "Flood warnings overnight" not in email_to(mail.outbox, bob)[0].body


def test_a_community_the_member_is_banned_from_sends_nothing_by_tag(community, alice, bob, roads, yesterday):
    MembershipFactory(community=roads, user=bob, status=Membership.Status.BANNED)
    tagged_thread(roads, alice, yesterday, title="Flood warnings overnight")
    at(make_thread(community=community, author=alice, title="Snow day statements"), yesterday)
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    assert "Flood warnings overnight" not in email_to(mail.outbox, bob)[0].body


def test_a_private_communitys_thread_with_a_followed_tag_never_reaches_a_non_member(community, alice, bob, yesterday):
    secret = CommunityFactory(name="Police press officers", slug="police-press", visibility="private")
    MembershipFactory(community=secret, user=alice)
    tagged_thread(secret, alice, yesterday, title="Embargoed: raid briefing")
    at(make_thread(community=community, author=alice, title="Snow day statements"), yesterday)
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    [message] = email_to(mail.outbox, bob)
    assert "Embargoed" not in message.body
    assert SECTION not in message.body


def test_hidden_threads_from_followed_tags_stay_out(community, alice, bob, roads, yesterday):
    hidden = tagged_thread(roads, alice, yesterday, title="Spam about floods")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    at(make_thread(community=community, author=alice, title="Snow day statements"), yesterday)
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    assert "Spam about floods" not in email_to(mail.outbox, bob)[0].body


def test_following_a_tag_alone_sends_no_digest(community, alice, bob, roads, yesterday):
    set_mode(bob, community, "every_post")
    tagged_thread(roads, alice, yesterday, title="Flood warnings overnight")
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    assert email_to(mail.outbox, bob) == []


def test_tag_threads_ride_on_the_daily_digest_when_the_member_gets_both(community, alice, bob, roads):
    weekly_one = CommunityFactory(name="Internal comms", slug="internal-comms")
    MembershipFactory(community=weekly_one, user=bob)
    MembershipFactory(community=weekly_one, user=alice)
    set_mode(bob, weekly_one, "weekly")
    _, week_start, _ = period("weekly")
    tagged_thread(roads, alice, week_start + timedelta(hours=10), title="Flood warnings overnight")
    at(make_thread(community=weekly_one, author=alice, title="Staff survey"), week_start + timedelta(hours=10))
    follow(bob, "flooding")

    call_command("send_digests", "--weekly")

    [weekly] = email_to(mail.outbox, bob)
    assert "Staff survey" in weekly.body
    assert "Flood warnings overnight" not in weekly.body


def test_tag_threads_come_in_the_weekly_digest_of_a_member_with_no_daily_one(community, alice, bob, roads):
    set_mode(bob, community, "weekly")
    _, week_start, _ = period("weekly")
    tagged_thread(roads, alice, week_start + timedelta(hours=10), title="Flood warnings overnight")
    follow(bob, "flooding")

    call_command("send_digests", "--weekly")

    [weekly] = email_to(mail.outbox, bob)
    assert "Flood warnings overnight" in weekly.body[weekly.body.index(SECTION) :]


def test_tag_threads_alone_make_a_digest_when_the_communities_were_quiet(community, alice, bob, roads, yesterday):
    tagged_thread(roads, alice, yesterday, title="Flood warnings overnight")
    follow(bob, "flooding")

    call_command("send_digests", "--daily")

    [message] = email_to(mail.outbox, bob)
    assert "Flood warnings overnight" in message.body
    assert "List-Unsubscribe" in message.extra_headers


# The outbox's guard, checked again just before the digest goes.


def test_guard_lets_a_readable_tag_thread_go_to_a_non_member(alice, bob, roads, yesterday):
    thread = tagged_thread(roads, alice, yesterday)
    guard = {"user": bob.pk, "threads": [], "members": True, "readable_threads": [thread.pk]}
    assert still_may_email(guard)


def test_guard_stops_a_tag_thread_the_member_can_no_longer_read(alice, bob, roads, yesterday):
    thread = tagged_thread(roads, alice, yesterday)
    guard = {"user": bob.pk, "threads": [], "members": True, "readable_threads": [thread.pk]}
    roads.visibility = "private"
    roads.save(update_fields=["visibility"])
    assert not still_may_email(guard)


def test_guard_still_needs_membership_for_community_threads(community, alice, bob, roads, yesterday):
    tag_thread = tagged_thread(roads, alice, yesterday)
    other = tagged_thread(roads, alice, yesterday, title="Another")
    guard = {"user": bob.pk, "threads": [other.pk], "members": True, "readable_threads": [tag_thread.pk]}
    assert not still_may_email(guard)


def test_guard_stops_a_tag_thread_from_a_community_that_banned_the_member(alice, bob, roads, yesterday):
    thread = tagged_thread(roads, alice, yesterday)
    MembershipFactory(community=roads, user=bob, status=Membership.Status.BANNED)
    guard = {"user": bob.pk, "threads": [], "members": True, "readable_threads": [thread.pk]}
    assert not still_may_email(guard)
