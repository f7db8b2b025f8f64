"""Community settings (issue 22) as email sees them: narrowing visibility stops
emails already queued, the posting address can be turned off, archived communities
take nothing by email, and the welcome message rides in a member's first email."""

import pytest
from django.core import mail

from communities import services_settings
from communities.models import Community, Membership
from forums.models import Thread, ThreadSubscription
from notifications.delivery import deliver_pending
from notifications.inbound import receive
from notifications.models import EmailDelivery
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread
from tests.notifications.factories import email_to, set_mode
from tests.notifications.test_inbound import address_for, message

POSTING_ADDRESS = "crisis-comms@post.commsnet.example.gov.uk"


@pytest.fixture
def owner(community):
    user = UserFactory(username="olive", display_name="Olive Owner")
    MembershipFactory(community=community, user=user, role="owner")
    return user


@pytest.fixture
def held_back(settings):
    # Deliveries stay queued until the test runs the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_narrowing_to_private_stops_emails_queued_for_people_who_can_no_longer_read(
    community, alice, charlie, owner, committed, held_back
):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.MEMBERS_ONLY)
    community.refresh_from_db()
    thread = make_thread(community=community, author=alice, title="Storm Bert updates")
    ThreadSubscription.objects.create(user=charlie, thread=thread, level="watching")
    with committed():
        make_reply(thread=thread, author=alice, body="The next update is at noon.")
    assert EmailDelivery.objects.filter(recipient=charlie, status="queued").count() == 1

    services_settings.community_access_update(
        community=community, actor=owner, visibility=Community.Visibility.PRIVATE, join_policy=community.join_policy
    )
    mail.outbox.clear()
    deliver_pending()

    assert EmailDelivery.objects.get(recipient=charlie).status == EmailDelivery.Status.SKIPPED
    assert email_to(mail.outbox, charlie) == []


def test_members_still_get_queued_emails_after_narrowing(community, alice, bob, owner, committed, held_back):
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice, title="Storm Bert updates")
    services_settings.community_access_update(
        community=community, actor=owner, visibility=Community.Visibility.PRIVATE, join_policy=community.join_policy
    )
    mail.outbox.clear()
    deliver_pending()
    assert len(email_to(mail.outbox, bob)) == 1


def test_posting_address_turned_off_refuses_new_threads_by_email(community, alice, bob, committed):
    services_settings.community_settings_update(community=community, actor=alice, posting_address_enabled=False)
    with committed():
        outcome = receive(message(to=POSTING_ADDRESS, subject="Snow day closures"))
    assert outcome.status == "rejected"
    assert "does not take new conversations by email" in outcome.reason
    assert not Thread.objects.exists()


def test_replies_by_email_still_work_with_the_posting_address_off(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice, title="Flood warnings")
    services_settings.community_settings_update(community=community, actor=alice, posting_address_enabled=False)
    with committed():
        outcome = receive(message(to=address_for(bob, thread.posts.get())))
    assert outcome.status == "accepted"


def test_post_emails_leave_out_list_post_when_the_posting_address_is_off(community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    services_settings.community_settings_update(community=community, actor=alice, posting_address_enabled=False)
    with committed():
        make_thread(community=community, author=alice, title="Storm Bert updates")
    (sent,) = email_to(mail.outbox, bob)
    assert "List-Post" not in sent.extra_headers


def test_post_emails_carry_list_post_while_the_posting_address_is_on(community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice, title="Storm Bert updates")
    (sent,) = email_to(mail.outbox, bob)
    assert sent.extra_headers["List-Post"] == f"<mailto:{POSTING_ADDRESS}>"


def test_archived_community_refuses_new_threads_by_email_saying_why(community, owner, bob, committed):
    services_settings.community_archive(community=community, actor=owner)
    with committed():
        outcome = receive(message(to=POSTING_ADDRESS, subject="Snow day closures"))
    assert outcome.status == "rejected"
    assert "has been archived" in outcome.reason


def test_archived_community_refuses_replies_by_email(community, alice, owner, bob, committed):
    post = make_thread(community=community, author=alice, title="Flood warnings").posts.get()
    services_settings.community_archive(community=community, actor=owner)
    with committed():
        outcome = receive(message(to=address_for(bob, post)))
    assert outcome.status == "rejected"
    assert "has been archived" in outcome.reason


def test_first_post_email_carries_the_welcome_message_once(community, alice, bob, committed):
    services_settings.community_settings_update(
        community=community, actor=alice, welcome_message="Introduce yourself in the **welcome** thread."
    )
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice, title="First news")
        make_thread(community=community, author=alice, title="Second news")
    first, second = sorted(email_to(mail.outbox, bob), key=lambda m: "Second" in m.subject)
    assert "<strong>welcome</strong>" in first.alternatives[0][0]
    assert "Introduce yourself" in first.body
    assert "Introduce yourself" not in second.body
    assert Membership.objects.get(community=community, user=bob).welcome_emailed_at is not None
