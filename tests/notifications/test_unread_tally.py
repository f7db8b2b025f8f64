"""The unread-notification tally PostgreSQL keeps (notifications/migrations/0003),
and the header's bell that reads it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from notifications.models import Notification, UnreadTally
from notifications.services import notification_mark_read, notifications_mark_all_read
from tests.factories import UserFactory
from tests.matrix import client_as
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
BADGE = '<span class="app-unread-count">{}<span class="govuk-visually-hidden"> unread</span></span>'


def tally(user) -> int | None:
    """The member's tally, or None if they have none yet."""
    return UnreadTally.objects.filter(user=user).values_list("unread", flat=True).first()


def test_new_unread_notifications_are_counted(bob, charlie):
    NotificationFactory.create_batch(3, recipient=bob)
    NotificationFactory(recipient=charlie)
    assert (tally(bob), tally(charlie)) == (3, 1)


def test_a_notification_created_already_read_is_not_counted(bob):
    NotificationFactory(recipient=bob, read_at="2026-01-01T00:00Z")
    assert tally(bob) is None


def test_reading_one_takes_it_off_the_tally(bob):
    first, _second = NotificationFactory.create_batch(2, recipient=bob)
    notification_mark_read(user=bob, notification_id=first.pk)
    assert tally(bob) == 1


def test_reading_all_in_one_statement_empties_the_tally(bob, charlie):
    NotificationFactory.create_batch(5, recipient=bob)
    NotificationFactory(recipient=charlie)
    notifications_mark_all_read(user=bob)
    assert (tally(bob), tally(charlie)) == (0, 1)


def test_marking_a_read_notification_unread_counts_it_again(bob):
    notification = NotificationFactory(recipient=bob, read_at="2026-01-01T00:00Z")
    Notification.objects.filter(pk=notification.pk).update(read_at=None)
    assert tally(bob) == 1


def test_bulk_created_notifications_are_counted_for_each_recipient(bob, charlie):
    Notification.objects.bulk_create(
        [Notification(recipient=user, kind="reply", text="A reply", url="/") for user in (bob, charlie, bob)]
    )
    assert (tally(bob), tally(charlie)) == (2, 1)


def test_deleting_unread_notifications_lowers_the_tally(bob):
    NotificationFactory.create_batch(3, recipient=bob)
    NotificationFactory(recipient=bob, read_at="2026-01-01T00:00Z")
    Notification.objects.filter(recipient=bob).delete()
    assert tally(bob) == 0


def test_changing_other_columns_leaves_the_tally_alone(bob):
    NotificationFactory.create_batch(2, recipient=bob)
    Notification.objects.filter(recipient=bob).update(text="Edited")
    assert tally(bob) == 2


def test_a_member_with_unread_notifications_can_be_deleted():
    member, other = UserFactory(), UserFactory()
    NotificationFactory.create_batch(2, recipient=member)
    NotificationFactory(recipient=other, actor=member)
    member.delete()
    # Foreign keys are checked at commit: check them now, inside the test's transaction.
    connection.check_constraints()
    assert not UnreadTally.objects.filter(user_id=member.pk).exists()
    assert tally(other) == 1  # their notification lost its actor, not its unread mark


def test_recount_rebuilds_tallies_the_triggers_missed(bob, charlie):
    NotificationFactory.create_batch(3, recipient=bob)
    UnreadTally.objects.filter(user=bob).update(unread=0)
    UnreadTally.objects.create(user=charlie, unread=4)
    call_command("recount_unread_notifications", stdout=io.StringIO())
    assert (tally(bob), tally(charlie)) == (3, 0)


def test_the_bell_shows_notifications_that_arrive_between_pages(bob):
    client = client_as(bob)
    assert "app-unread-count" not in client.get(reverse("home")).content.decode()
    NotificationFactory.create_batch(2, recipient=bob)
    assert BADGE.format(2) in client.get(reverse("home")).content.decode()


def test_the_bell_costs_no_query_while_nothing_is_unread(bob, django_assert_num_queries):
    client = client_as(bob)
    client.get(reverse("home"))
    # The session, the member (with their tally) and what they may read.
    with django_assert_num_queries(3) as captured:
        client.get(reverse("home"))
    assert not any("notifications_notification" in query["sql"] for query in captured.captured_queries)
