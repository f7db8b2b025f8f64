"""Notifications, digests and every-post emails never carry content from a community
the recipient cannot see (roles × visibilities, against tests/matrix.py)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from forums.models import Post, TagFollow, Thread
from members.models import User
from notifications import events
from notifications.digests import period
from notifications.models import Notification
from notifications.tokens import read_reply_token
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.matrix import CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast
from tests.notifications.factories import set_mode

PEOPLE = [role for role in ROLES if role != "anonymous"]
SECRET = "Confidential: briefing on the live incident"
# Email from a community goes to its active members only (and never to the author).
ACTIVE_MEMBERS = {"member", "facilitator", "owner"}


def recipients(cast, outbox) -> set[str]:
    by_email = {user.email: role for role, user in cast.items() if user is not None}
    return {by_email[address] for message in outbox for address in message.to if address in by_email}


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_notifications_page_shows_a_post_only_to_those_who_may_read_it(visibility, db):
    community, cast = community_with_cast(visibility)
    thread = make_thread(community=community, author=cast["owner"], title=SECRET)
    reply = make_reply(thread=thread, author=cast["owner"])
    for role in PEOPLE:
        Notification.objects.create(
            recipient=cast[role], kind="mention", text=SECRET, url=f"/posts/{reply.pk}/", post=reply, thread=thread
        )
    for role in PEOPLE:
        page = client_as(cast[role]).get(reverse("notifications")).content.decode()
        assert (SECRET in page) == (role in CAN_READ[visibility]), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_mentions_notify_only_those_who_may_read_the_post(visibility, db):
    community, cast = community_with_cast(visibility)
    post = make_thread(community=community, author=cast["owner"], title=SECRET).posts.get()
    events.user_mentioned(post, [cast[role] for role in PEOPLE])
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    expected = {cast[role].username for role in PEOPLE if role in CAN_READ[visibility] and role != "owner"}
    assert notified == expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_every_post_email_goes_only_to_active_members_who_may_read(visibility, db, settings, committed):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    community, cast = community_with_cast(visibility)
    for role in PEOPLE:
        set_mode(cast[role], community, "every_post")
    with committed():
        make_thread(community=community, author=cast["owner"], title=SECRET)
    got = recipients(cast, [m for m in mail.outbox if SECRET in m.subject])
    assert got <= CAN_READ[visibility]
    assert got == ACTIVE_MEMBERS - {"owner"}


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_digest_carries_a_thread_only_to_active_members_who_may_read(visibility, db):
    community, cast = community_with_cast(visibility)
    for role in PEOPLE:
        set_mode(cast[role], community, "daily")
    thread = make_thread(community=community, author=cast["site_admin"], title=SECRET)
    _, start, _ = period("daily")
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=start + timedelta(hours=9), created_at=start)
    call_command("send_digests", "--daily")
    got = recipients(cast, [m for m in mail.outbox if SECRET in m.body])
    assert got <= CAN_READ[visibility]
    assert got == ACTIVE_MEMBERS


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_digest_carries_a_followed_tags_thread_only_to_non_members_who_may_read(visibility, db):
    community, cast = community_with_cast(visibility)
    home = CommunityFactory(name="Everyone's other community", slug="tags-home")
    for role in PEOPLE:
        MembershipFactory(community=home, user=cast[role])  # so each gets a digest
        set_mode(cast[role], community, "none")  # members of the tagged one chose nothing from it
    thread = make_thread(community=community, author=cast["owner"], title=SECRET, tags=["live-incident"])
    _, start, _ = period("daily")
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=start + timedelta(hours=9), created_at=start)
    for role in PEOPLE:
        TagFollow.objects.create(user=cast[role], tag=thread.tags.get())
    call_command("send_digests", "--daily")
    got = recipients(cast, [m for m in mail.outbox if SECRET in m.body])
    assert got <= CAN_READ[visibility]
    # Outsiders who may read it; site admins may read every community. Never a pending
    # account (no digest), a banned member, or a member who chose no email from it.
    assert got == ({"site_admin"} if visibility == "private" else {"outsider", "site_admin"})


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_digest_reply_addresses_reach_only_active_members_and_name_them(visibility, db):
    community, cast = community_with_cast(visibility)
    for role in PEOPLE:
        set_mode(cast[role], community, "daily")
    thread = make_thread(community=community, author=cast["site_admin"], title=SECRET)
    _, start, _ = period("daily")
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=start + timedelta(hours=9), created_at=start)
    Post.objects.filter(thread=thread).update(created_at=start + timedelta(hours=9))
    call_command("send_digests", "--daily")
    holders = set()
    for message in mail.outbox:
        for local in re.findall(r"reply\+([a-z0-9.]+)@", message.body):
            token = read_reply_token(local)
            assert token.thread_id == thread.pk
            assert token.user_id == User.objects.get(email=message.to[0]).pk
            holders |= recipients(cast, [message])
    assert holders == ACTIVE_MEMBERS


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_reply_notification_reaches_the_thread_author_only_while_they_may_read(visibility, db, committed):
    community, cast = community_with_cast(visibility)
    thread = make_thread(community=community, author=cast["member"], title=SECRET)
    community.memberships.filter(user=cast["member"]).delete()
    with committed():
        make_reply(thread=thread, author=cast["owner"])
    notified = Notification.objects.filter(recipient=cast["member"]).exists()
    # Once removed, the former member is an "outsider" for the matrix.
    assert notified == ("outsider" in CAN_READ[visibility])


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_nobody_marks_someone_elses_notification_read(visibility, db):
    community, cast = community_with_cast(visibility)
    thread = make_thread(community=community, author=cast["owner"], title=SECRET)
    theirs = Notification.objects.create(
        recipient=cast["member"], kind="reply", text=SECRET, url="/", post=thread.posts.get(), thread=thread
    )
    for role in ROLES:
        if role == "member":
            continue
        response = client_as(cast[role]).post(reverse("notification_read", args=[theirs.pk]))
        assert response.status_code == (302 if role == "anonymous" else 404), role
        theirs.refresh_from_db()
        assert theirs.read_at is None, role
