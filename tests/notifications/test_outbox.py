"""The one mail path: every email is queued, a mail server outage delays mail but loses
none, refusals are retried with backoff for two days and then reported, and the crash
windows around SMTP behave as the README says."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from communities.models import Membership
from forums.models import Attachment, Post
from notifications.delivery import deliver_pending
from notifications.models import OutgoingEmail
from notifications.outbox import (
    GIVE_UP_AFTER,
    KEEP_FINISHED,
    STALE_AFTER,
    claim_next,
    forget_finished,
    retry_delay,
    send_due,
    send_outgoing_email,
)
from tests.factories import CommunityFactory, make_reply, make_thread
from tests.notifications.factories import email_to, set_mode

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DOWN = "tests.notifications.test_outbox.MailServerDown"

pytestmark = pytest.mark.django_db


class MailServerDown(LocmemBackend):
    """A mail server that refuses every connection, as one that is down does."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def queue_mail(settings):
    """The production mail path: queued, then sent by tasks through EMAIL_DELIVERY_BACKEND."""
    settings.EMAIL_BACKEND = "notifications.outbox.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings


def test_sending_stores_one_row_per_recipient_and_talks_to_no_mail_server(queue_mail):
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk", "marcus@trust.nhs.uk"])

    assert sorted(OutgoingEmail.objects.values_list("to", "status")) == [
        ("marcus@trust.nhs.uk", "queued"),
        ("priya@council.gov.uk", "queued"),
    ]
    assert mail.outbox == []


def test_queued_email_is_sent_by_the_worker_after_commit(queue_mail, committed):
    with committed():
        send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])

    assert [(m.subject, m.to) for m in mail.outbox] == [("Storm Bert", ["priya@council.gov.uk"])]
    assert OutgoingEmail.objects.get().status == "sent"


def test_html_attachments_and_headers_survive_the_queue(queue_mail, committed):
    message = EmailMultiAlternatives("Agenda", "Text", None, ["priya@council.gov.uk"], headers={"List-Id": "<a.b>"})
    message.attach_alternative("<p>Text</p>", "text/html")
    message.attach("agenda.pdf", b"%PDF-1.4 binary \x00\xff", "application/pdf")
    with committed():
        message.send()

    sent = mail.outbox[0]
    assert sent.alternatives[0][0] == "<p>Text</p>"
    assert sent.attachments[0][:2] == ("agenda.pdf", b"%PDF-1.4 binary \x00\xff")
    assert sent.extra_headers["List-Id"] == "<a.b>"


def test_join_request_succeeds_while_the_mail_server_is_down(queue_mail, client, bob, alice, committed):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    community = CommunityFactory(join_policy="request")
    Membership.objects.create(community=community, user=alice, role="facilitator", status="active")
    client.force_login(bob)

    with committed():
        response = client.post(reverse("community_join", kwargs={"slug": community.slug}))

    assert response.status_code == 302
    assert Membership.objects.get(community=community, user=bob).status == "pending"
    waiting = OutgoingEmail.objects.get(to=alice.email)
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert "Connection unexpectedly closed" in waiting.last_error


def test_password_reset_succeeds_while_the_mail_server_is_down(queue_mail, client, bob, committed):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN

    with committed():
        response = client.post(reverse("account_reset_password"), {"email": bob.email})

    assert response.status_code == 302
    assert OutgoingEmail.objects.get(to=bob.email).status == "queued"


def test_email_queued_during_an_outage_is_sent_once_the_server_is_back(queue_mail, committed):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    with committed():
        send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    queue_mail.EMAIL_DELIVERY_BACKEND = LOCMEM
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())

    assert send_due() == 1
    assert send_due() == 0
    assert len(mail.outbox) == 1


def test_each_refusal_waits_longer_before_the_next_try(queue_mail):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    waits = []
    for _ in range(4):
        before = timezone.now()
        send_due()
        row = OutgoingEmail.objects.get()
        waits.append(row.next_attempt_at - before)
        OutgoingEmail.objects.update(next_attempt_at=timezone.now())

    assert [round(wait / timedelta(minutes=1)) for wait in waits] == [1, 2, 4, 8]


def test_retry_delay_grows_to_hours_and_stops_growing():
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(9) == timedelta(hours=4)
    assert retry_delay(30) == retry_delay(9)


def test_a_refused_email_keeps_its_message_id_for_the_next_try(queue_mail):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    first_id = OutgoingEmail.objects.get().content["headers"]["Message-ID"]
    send_due()
    queue_mail.EMAIL_DELIVERY_BACKEND = LOCMEM
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())

    send_due()

    assert mail.outbox[0].extra_headers["Message-ID"] == first_id


def test_after_two_days_of_refusals_the_email_fails_and_site_admins_are_told(queue_mail, dora):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    OutgoingEmail.objects.update(created_at=timezone.now() - GIVE_UP_AFTER)

    send_due()

    failed = OutgoingEmail.objects.get(to="priya@council.gov.uk")
    assert failed.status == "failed"
    report = OutgoingEmail.objects.get(to=dora.email)
    assert report.status == "queued"
    assert "priya@council.gov.uk" in report.content["body"]
    assert "Storm Bert" in report.content["body"]


def test_a_worker_that_died_before_sending_leaves_a_row_sent_after_it_goes_stale(queue_mail):
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    claimed = claim_next()  # …and the worker dies here, before SMTP

    assert send_due() == 0  # not stale yet: it may belong to a worker still sending
    OutgoingEmail.objects.filter(pk=claimed.pk).update(claimed_at=timezone.now() - STALE_AFTER - timedelta(1))
    assert send_due() == 1
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().attempts == 2


def test_a_worker_that_died_after_the_server_accepted_sends_again_with_the_same_message_id(queue_mail):
    """The window the README names: accepted by SMTP, not yet recorded as sent."""
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    send_due()
    message_id = mail.outbox[0].extra_headers["Message-ID"]
    OutgoingEmail.objects.update(status="sending", claimed_at=timezone.now() - STALE_AFTER - timedelta(1))

    send_due()

    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message_id, message_id]


def test_a_sent_email_is_never_sent_again(queue_mail):
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    send_due()
    OutgoingEmail.objects.update(claimed_at=timezone.now() - timedelta(days=3))

    assert send_due() == 0
    assert len(mail.outbox) == 1


def test_a_refusal_plans_one_worker_run_for_when_the_email_falls_due(queue_mail):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    send_mail("Storm Bert: update", "Roads open.", None, ["priya@council.gov.uk"])
    DBTaskResult.objects.all().delete()  # the wake-ups of queueing, run by nobody here

    send_outgoing_email.call()
    send_outgoing_email.call()

    # One planned run (not one per email), due no later than the first email is.
    [planned] = DBTaskResult.objects.filter(status="READY")
    due = OutgoingEmail.objects.order_by("next_attempt_at").first().next_attempt_at
    assert planned.run_after <= due


def test_with_nothing_planned_a_refusal_plans_a_run_at_the_retry_time(queue_mail):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    DBTaskResult.objects.all().delete()

    send_outgoing_email.call()

    [planned] = DBTaskResult.objects.filter(status="READY")
    assert planned.run_after == OutgoingEmail.objects.get().next_attempt_at


def test_an_email_waiting_for_the_mail_server_is_not_sent_to_someone_who_lost_access(
    queue_mail, community, alice, bob, committed
):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice, title="Live incident: holding statement")
    assert OutgoingEmail.objects.get(to=bob.email).status == "queued"
    # While the mail server is down, the community is made private and bob leaves.
    community.visibility = "private"
    community.save(update_fields=["visibility"])
    Membership.objects.filter(community=community, user=bob).delete()
    queue_mail.EMAIL_DELIVERY_BACKEND = LOCMEM
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())

    send_due()

    assert OutgoingEmail.objects.get(to=bob.email).status == "skipped"
    assert mail.outbox == []


def test_an_email_waiting_for_the_mail_server_still_goes_to_a_member_who_may_read_it(
    queue_mail, community, alice, bob, committed
):
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice, title="Storm Bert: road closures")
    queue_mail.EMAIL_DELIVERY_BACKEND = LOCMEM
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())

    send_due()

    assert [m.to for m in mail.outbox] == [[bob.email]]


def _queued_while_down(queue_mail, committed, make):
    """Queue what `make()` sends while the mail server is down, then bring it back."""
    queue_mail.EMAIL_DELIVERY_BACKEND = DOWN
    with committed():
        made = make()
    deliver_pending()
    queue_mail.EMAIL_DELIVERY_BACKEND = LOCMEM
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    return made


def test_an_announcement_waiting_for_the_mail_server_skips_a_member_who_left(
    queue_mail, community, alice, bob, committed
):
    _queued_while_down(
        queue_mail,
        committed,
        lambda: make_thread(community=community, author=alice, title="Office closed", kind="announcement"),
    )
    Membership.objects.filter(community=community, user=bob).delete()

    send_due()

    assert email_to(mail.outbox, bob) == []


def test_a_reply_hidden_while_waiting_for_the_mail_server_is_not_sent(queue_mail, community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    thread = make_thread(community=community, author=alice, title="Storm Bert")
    reply = _queued_while_down(queue_mail, committed, lambda: make_reply(thread=thread, author=alice, body="Rumour"))
    Post.objects.filter(pk=reply.pk).update(status="hidden")

    send_due()

    assert email_to(mail.outbox, bob) == []


def test_a_member_suspended_while_email_waited_gets_none(queue_mail, community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    _queued_while_down(queue_mail, committed, lambda: make_thread(community=community, author=alice, title="Storm"))
    type(bob).objects.filter(pk=bob.pk).update(status="suspended")

    send_due()

    assert email_to(mail.outbox, bob) == []


def test_a_burst_of_emails_waits_for_one_worker_run(queue_mail, committed):
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for n in range(3):
        with committed():
            send_mail(f"Storm Bert {n}", "Roads closed.", None, ["priya@council.gov.uk"])

    assert DBTaskResult.objects.filter(status="READY").count() == 1
    send_outgoing_email.call()
    assert len(mail.outbox) == 3


def test_a_posts_files_are_kept_by_reference_and_attached_when_sent(
    queue_mail, community, alice, bob, committed, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    set_mode(bob, community, "every_post")
    thread = make_thread(community=community, author=bob, title="Flood plan")
    content = b"%PDF-1.4\n" + b"0" * 5000

    def reply_with_file():
        reply = make_reply(thread=thread, author=alice, body="Our plan is attached.")
        Attachment.objects.create(
            post=reply,
            file=ContentFile(content, name="plan.pdf"),
            filename="flood-plan.pdf",
            content_type="application/pdf",
            size=len(content),
        )
        return reply

    _queued_while_down(queue_mail, committed, reply_with_file)
    row = OutgoingEmail.objects.get(to=bob.email, subject__startswith="Re:")
    assert row.content["attachments"] == [] and len(row.content["attachment_ids"]) == 1

    send_due()

    [message] = [m for m in email_to(mail.outbox, bob) if m.subject.startswith("Re:")]
    assert message.attachments == [("flood-plan.pdf", content, "application/pdf")]


def test_finished_rows_are_forgotten_after_a_month_and_waiting_ones_kept(queue_mail):
    queue_mail.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for subject in ["Old", "Waiting"]:
        send_mail(subject, "Body", None, ["priya@council.gov.uk"])
    OutgoingEmail.objects.filter(subject="Old").update(status="sent")
    OutgoingEmail.objects.update(created_at=timezone.now() - KEEP_FINISHED - timedelta(days=1))

    assert forget_finished() == 1
    assert list(OutgoingEmail.objects.values_list("subject", flat=True)) == ["Waiting"]
