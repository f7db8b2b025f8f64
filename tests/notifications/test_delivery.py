"""Sending exactly once, or explicitly again: claims, crashes, restarts, the real worker."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.delivery import MAX_ATTEMPTS, STALE_AFTER, claim_next, deliver, deliver_pending
from notifications.models import EmailDelivery, OutgoingEmail
from tests.factories import make_thread
from tests.notifications.factories import email_to, set_mode


@pytest.fixture
def queued(community, alice, bob, settings, committed):
    """Three posts queued for bob (every-post mode) with no worker running."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    set_mode(bob, community, "every_post")
    with committed():
        for n in range(3):
            make_thread(community=community, author=alice, title=f"Storm Bert update {n}")
    assert EmailDelivery.objects.filter(recipient=bob, status="queued").count() == 3
    return bob


def test_queueing_the_same_post_twice_makes_one_delivery(queued, community):
    from notifications.services import post_emails_queue

    post = EmailDelivery.objects.filter(recipient=queued).first().post
    post_emails_queue(post=post, user_ids=[queued.pk])
    post_emails_queue(post=post, user_ids=[queued.pk])
    assert EmailDelivery.objects.filter(recipient=queued, post=post).count() == 1


def test_worker_crash_mid_batch_then_restart_sends_each_message_exactly_once(queued):
    # Worker 1 sends the first message, then claims the second and dies before sending it.
    deliver(claim_next())
    crashed = claim_next()
    assert crashed.status == "sending"
    # A restarted worker straight away: the crashed claim is not stale yet, so it is left alone.
    deliver_pending()
    assert len(email_to(mail.outbox, queued)) == 2
    # After the stale timeout the claim is taken again and sent once.
    with mock.patch("notifications.delivery.timezone.now", return_value=timezone.now() + STALE_AFTER * 2):
        deliver_pending()
    subjects = sorted(m.subject for m in email_to(mail.outbox, queued))
    assert subjects == [f"[Crisis communications] Storm Bert update {n}" for n in range(3)]
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert EmailDelivery.objects.get(pk=crashed.pk).attempts == 2
    # Running again sends nothing more.
    deliver_pending()
    assert len(email_to(mail.outbox, queued)) == 3


def test_crash_after_smtp_accepted_is_retried_explicitly_with_the_same_message_id(queued):
    """The one window SMTP leaves: sent, then died before recording it. We retry
    (counted in attempts) with the same Message-ID rather than risk losing mail."""
    delivery = claim_next()
    with mock.patch("notifications.delivery._finish"):  # dies before recording "sent"
        deliver(delivery)
    with mock.patch("notifications.delivery.timezone.now", return_value=timezone.now() + STALE_AFTER * 2):
        deliver_pending()
    first, *_, again = [
        m for m in mail.outbox if m.extra_headers["Message-ID"] == mail.outbox[0].extra_headers["Message-ID"]
    ]
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert EmailDelivery.objects.get(pk=delivery.pk).attempts == 2


def test_a_claimed_row_is_skipped_by_a_second_worker(queued):
    first = claim_next()
    second = claim_next()
    assert first.pk != second.pk


def test_smtp_failure_is_retried_then_given_up(queued, settings):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("connection refused")):
        for _ in range(MAX_ATTEMPTS):
            deliver_pending()
    oldest = EmailDelivery.objects.order_by("created_at", "pk").first()
    assert oldest.status == "failed"
    assert "connection refused" in oldest.last_error
    assert mail.outbox == []


def test_stale_rows_past_max_attempts_are_marked_failed(queued):
    EmailDelivery.objects.update(
        status="sending", attempts=MAX_ATTEMPTS, claimed_at=timezone.now() - timedelta(hours=1)
    )
    deliver_pending()
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_real_database_backend_enqueue_then_worker_sends(community, alice, bob, settings):
    """The production path: enqueue after commit into django-tasks-db, then one run of
    the db_worker command processes it and the email goes."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    set_mode(bob, community, "every_post")
    make_thread(community=community, author=alice, title="Purdah guidance for the May elections")
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert email_to(mail.outbox, bob) == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    [message] = email_to(mail.outbox, bob)
    assert message.subject == "[Crisis communications] Purdah guidance for the May elections"
    assert EmailDelivery.objects.get(recipient=bob).status == "sent"
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_send_queued_email_command_sends_what_is_queued(queued):
    call_command("send_queued_email")
    assert len(email_to(mail.outbox, queued)) == 3


def test_a_delivery_reclaimed_while_it_was_built_is_handed_over_once(queued, settings):
    settings.EMAIL_BACKEND = "notifications.outbox.QueuedEmailBackend"
    slow = claim_next()
    # Meanwhile its claim went stale and another worker took the row.
    EmailDelivery.objects.filter(pk=slow.pk).update(claimed_at=timezone.now() - STALE_AFTER - timedelta(minutes=1))
    other = claim_next()
    assert other.pk == slow.pk

    assert deliver(slow) == EmailDelivery.Status.SENDING
    assert deliver(other) == EmailDelivery.Status.SENT
    # Handed to the outbox once: the slow worker's copy was rolled back with its claim.
    assert OutgoingEmail.objects.filter(to=queued.email).count() == 1
