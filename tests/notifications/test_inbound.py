"""Reply by email and start a thread by email: same rules as the web, idempotent,
and a polite bounce for anything refused."""

import base64
import io
import json
import threading
import tracemalloc
from email import policy
from email.message import EmailMessage
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from communities.models import Community
from forums.models import Post, Thread
from notifications.inbound import receive
from notifications.models import CommunityEmailPreference, InboundMessage
from notifications.services import reply_addresses_revoke
from notifications.tokens import make_unsubscribe_token, reply_address
from tests.factories import make_reply, make_thread
from tests.notifications.test_parsing import SAMPLES
from tests.upload_bombs import DOCX_MANIFEST, MIB, craft_zip, deflated, docx_bomb, png_bomb

SECRET = "postmark:correct-horse-inbound-secret"


@pytest.fixture
def thread(community, alice):
    return make_thread(community=community, author=alice, title="Flood warnings on social media")


@pytest.fixture
def answered(thread, alice):
    """A reply by alice that bob was emailed, and bob's signed reply address for it."""
    return make_reply(thread=thread, author=alice, body="We post every hour.")


def passed(sender: str) -> str:
    """What our receiving server writes for mail whose From domain passed DMARC."""
    domain = sender.rpartition("@")[2]
    return (
        f"mx.commsnet.example.gov.uk; spf=pass smtp.mailfrom={sender}; "
        f"dkim=pass header.d={domain}; dmarc=pass header.from={domain}"
    )


def message(
    *,
    to,
    sender="bob@example.gov.uk",
    body="We pin one post and update it.",
    message_id=None,
    authenticated=True,
    **headers,
):
    msg = EmailMessage(policy=policy.default)
    # Our server's header comes first, above everything the sender wrote.
    auth_results = headers.pop("Authentication_Results", passed(sender) if authenticated else None)
    if auth_results:
        msg["Authentication-Results"] = auth_results
    msg["From"] = f"Bob Member <{sender}>"
    msg["To"] = to
    msg["Subject"] = headers.pop("subject", "Re: [Crisis communications] Flood warnings on social media")
    msg["Message-ID"] = message_id or f"<{abs(hash((to, body)))}@mail.example.gov.uk>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


def address_for(user, post):
    return reply_address(user=user, thread_id=post.thread_id, post_id=post.pk)


def bounces():
    return [m for m in mail.outbox if m.subject.startswith("Not posted")]


def test_reply_by_email_posts_under_the_answered_post(answered, bob, committed):
    with committed():
        outcome = receive(message(to=address_for(bob, answered)))
    assert outcome.status == "accepted"
    post = outcome.post
    assert (post.author, post.thread, post.parent, post.body) == (
        bob,
        answered.thread,
        answered,
        "We pin one post and update it.",
    )
    assert InboundMessage.objects.get().post == post


def test_receive_email_command_posts_an_outlook_reply_from_stdin(answered, bob, committed):
    raw = (SAMPLES / "outlook_reply.eml").read_text()
    raw = raw.replace("{{TO}}", address_for(bob, answered)).replace("{{FROM}}", bob.email)
    stdin = mock.Mock(buffer=io.BytesIO(raw.encode()))
    out = io.StringIO()
    with mock.patch("sys.stdin", stdin), committed():
        call_command("receive_email", stdout=out)
    assert out.getvalue().strip() == "accepted"
    post = Post.objects.get(author=bob)
    assert post.body.startswith("Hi Alice,\n\nWe did the same during Storm Bert")
    assert "Tel: 01234" not in post.body and "confidential" not in post.body


def test_reply_from_a_different_address_is_held_and_the_member_asked(answered, bob, committed):
    with committed():
        outcome = receive(message(to=address_for(bob, answered), sender="someone@attacker.example"))
    assert outcome.status == "held"
    assert not Post.objects.filter(author=bob).exists()
    assert bounces() == []
    [confirmation] = mail.outbox
    assert confirmation.to == [bob.email]
    assert "/email/confirm/" in confirmation.body


def test_threading_headers_grant_nothing_without_a_valid_token(answered, bob, committed):
    with committed():
        outcome = receive(
            message(
                to="reply+1.1.1.1.1.aaaaaaaaaaaaaaaa@reply.commsnet.example.gov.uk",
                In_Reply_To=f"<post-{answered.pk}@post.commsnet.example.gov.uk>",
                References=f"<post-{answered.pk}@post.commsnet.example.gov.uk>",
            )
        )
    assert outcome.status == "rejected"
    assert not Post.objects.filter(author=bob).exists()
    assert "not one we recognise" in bounces()[0].body


def test_expired_reply_address_is_refused(answered, bob, settings):
    settings.REPLY_TOKEN_MAX_AGE_DAYS = 30
    address = address_for(bob, answered)
    with mock.patch("notifications.tokens._today", return_value=10_000):
        outcome = receive(message(to=address))
    assert outcome.status == "rejected"
    assert "expired" in outcome.reason


def test_revoked_reply_addresses_stop_working(answered, bob):
    address = address_for(bob, answered)
    reply_addresses_revoke(user=bob)
    outcome = receive(message(to=address))
    assert outcome.status == "rejected"
    assert "no longer works" in outcome.reason


def test_reply_to_a_locked_thread_is_refused(answered, bob):
    Thread.objects.filter(pk=answered.thread_id).update(is_locked=True)
    outcome = receive(message(to=address_for(bob, answered)))
    assert outcome.status == "rejected"
    assert "locked" in outcome.reason


def test_reply_from_a_banned_member_is_refused(answered, bob, community):
    community.memberships.filter(user=bob).update(status="banned")
    outcome = receive(message(to=address_for(bob, answered)))
    assert outcome.status == "rejected"
    assert not Post.objects.filter(author=bob).exists()


def test_reply_to_a_private_community_after_removal_is_refused(private_community, alice, bob):
    post = make_thread(community=private_community, author=alice).posts.get()
    address = address_for(bob, post)
    private_community.memberships.filter(user=bob).delete()
    outcome = receive(message(to=address))
    assert outcome.status == "rejected"
    assert "no longer available" in outcome.reason


def test_rate_limits_apply_to_replies_by_email(answered, bob):
    with mock.patch("forums.services.posting_blocked_reason", return_value="You have posted a lot this hour."):
        outcome = receive(message(to=address_for(bob, answered)))
    assert (outcome.status, outcome.reason) == ("rejected", "You have posted a lot this hour.")


def test_pre_moderation_holds_a_reply_by_email(answered, bob, alice, committed):
    with mock.patch("forums.services.initial_post_status", return_value=Post.Status.HELD), committed():
        outcome = receive(message(to=address_for(bob, answered)))
    assert outcome.post.status == Post.Status.HELD
    # Nobody hears of the reply until it is approved; the facilitator hears of the queue.
    assert list(alice.notifications.values_list("kind", flat=True)) == ["review_item"]


def test_empty_reply_is_refused(answered, bob):
    outcome = receive(message(to=address_for(bob, answered), body="On Tue, Alice wrote:\n> hello"))
    assert outcome.status == "rejected"
    assert "could not find any words" in outcome.reason


def test_auto_replies_are_recorded_but_never_bounced(answered, bob, committed):
    with committed():
        outcome = receive(
            message(to=address_for(bob, answered), Auto_Submitted="auto-replied", body="I am out of the office.")
        )
    assert outcome.status == "rejected"
    assert bounces() == []


def test_the_same_message_id_twice_makes_one_post(answered, bob, committed):
    msg = message(to=address_for(bob, answered), message_id="<same@mail.example.gov.uk>")
    with committed():
        first = receive(msg)
        second = receive(msg)
    assert (first.status, second.status) == ("accepted", "duplicate")
    assert Post.objects.filter(author=bob).count() == 1
    assert bounces() == []


@pytest.mark.django_db(transaction=True)
def test_the_same_message_id_ten_times_at_once_makes_one_post(community, alice, bob):
    post = make_reply(thread=make_thread(community=community, author=alice), author=alice)
    msg = message(to=address_for(bob, post), message_id="<storm@mail.example.gov.uk>")
    outcomes, barrier = [], threading.Barrier(10)

    def deliver():
        try:
            barrier.wait()
            outcomes.append(receive(msg).status)
        finally:
            connection.close()

    workers = [threading.Thread(target=deliver) for _ in range(10)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["accepted"] + ["duplicate"] * 9
    assert Post.objects.filter(author=bob).count() == 1
    assert InboundMessage.objects.count() == 1


def test_posting_address_starts_a_thread_for_an_active_member(community, bob, committed):
    with committed():
        outcome = receive(
            message(
                to="crisis-comms@post.commsnet.example.gov.uk",
                subject="Fwd: Snow day school closures",
                body="How do you announce them?",
            )
        )
    assert outcome.status == "accepted"
    thread = outcome.post.thread
    assert (thread.title, thread.community, thread.author) == ("Snow day school closures", community, bob)


def test_posting_address_refuses_a_non_member_with_a_bounce(community, charlie, committed):
    with committed():
        outcome = receive(message(to="crisis-comms@post.commsnet.example.gov.uk", sender=charlie.email))
    assert outcome.status == "rejected"
    assert not Thread.objects.exists()
    assert "Only members of Crisis communications" in bounces()[0].body


@pytest.mark.parametrize("sender", ["stranger@example.com", "charlie@example.gov.uk"])
def test_posting_address_of_a_private_community_bounces_without_naming_it(community, charlie, committed, sender):
    Community.objects.filter(pk=community.pk).update(visibility=Community.Visibility.PRIVATE)
    with committed():
        outcome = receive(
            message(to="crisis-comms@post.commsnet.example.gov.uk", sender=sender, subject="Flood warnings")
        )
    assert outcome.status == "rejected"
    assert outcome.reason == "We did not recognise the address you sent it to."
    assert "Crisis communications" not in bounces()[0].body


def test_posting_address_holds_mail_that_failed_dmarc(community, bob):
    outcome = receive(
        message(
            to="crisis-comms@post.commsnet.example.gov.uk",
            Authentication_Results="mx.commsnet.example.gov.uk; spf=fail; dmarc=fail header.from=example.gov.uk",
        )
    )
    assert outcome.status == "held"
    assert not Thread.objects.exists()


def test_unknown_address_is_refused(community):
    outcome = receive(message(to="nobody@elsewhere.example"))
    assert outcome.status == "rejected"
    assert "did not recognise" in outcome.reason


def test_unsubscribe_by_mailto(community, bob):
    token = make_unsubscribe_token(user_id=bob.pk, community_ids=[community.pk])
    outcome = receive(message(to="unsubscribe@reply.commsnet.example.gov.uk", subject=f"unsubscribe {token}"))
    assert outcome.status == "accepted"
    assert CommunityEmailPreference.objects.get(user=bob, community=community).mode == "none"


# The provider webhook (django-anymail)


def postmark_payload(raw: str) -> str:
    return json.dumps({"RawEmail": raw, "Headers": [], "FromFull": {"Email": "bob@example.gov.uk"}})


def auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def test_webhook_posts_a_gmail_reply(client, answered, bob, settings, committed):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    raw = (SAMPLES / "gmail_reply.eml").read_text()
    raw = raw.replace("{{TO}}", address_for(bob, answered)).replace("{{FROM}}", bob.email)
    with committed():
        response = client.post(
            reverse("email_inbound", args=["postmark"]),
            postmark_payload(raw),
            content_type="application/json",
            **auth(SECRET),
        )
    assert response.status_code == 200
    post = Post.objects.get(author=bob)
    assert post.body.endswith("Does anyone have alt text guidance for the flood maps?\n\nThanks,\nBob")


def test_webhook_with_a_wrong_secret_posts_nothing_and_logs_no_secret(client, answered, bob, settings, caplog):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    raw = message(to=address_for(bob, answered)).as_string()
    response = client.post(
        reverse("email_inbound", args=["postmark"]),
        postmark_payload(raw),
        content_type="application/json",
        **auth("postmark:wrong-guess"),
    )
    assert response.status_code == 400
    assert not Post.objects.filter(author=bob).exists()
    assert "correct-horse-inbound-secret" not in caplog.text
    assert "wrong-guess" not in caplog.text


def test_webhook_for_an_unknown_provider_is_404(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    assert client.post(reverse("email_inbound", args=["pigeon"]), **auth(SECRET)).status_code == 404


def test_webhook_refuses_get(client):
    assert client.get(reverse("email_inbound", args=["postmark"])).status_code == 405


def test_in_reply_to_chooses_the_parent_within_the_tokens_thread(answered, bob, alice, committed):
    later = make_reply(thread=answered.thread, author=alice, body="A later post in the same thread.")
    with committed():
        outcome = receive(
            message(to=address_for(bob, answered), In_Reply_To=f"<post-{later.pk}@post.commsnet.example.gov.uk>")
        )
    assert outcome.post.parent == later


def test_in_reply_to_a_post_in_another_thread_is_ignored(answered, bob, alice, community):
    elsewhere = make_reply(thread=make_thread(community=community, author=alice, title="Other"), author=alice)
    outcome = receive(
        message(to=address_for(bob, answered), In_Reply_To=f"<post-{elsewhere.pk}@post.commsnet.example.gov.uk>")
    )
    assert (outcome.post.thread, outcome.post.parent) == (answered.thread, answered)


def test_webhook_secret_is_hidden_from_error_reports(settings):
    from django.views.debug import SafeExceptionReporterFilter

    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    safe = SafeExceptionReporterFilter().get_safe_settings()
    assert SECRET not in str(safe["ANYMAIL"])


def test_webhook_is_off_without_a_configured_secret(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    assert (
        client.post(reverse("email_inbound", args=["postmark"]), "{}", content_type="application/json").status_code
        == 404
    )


def test_no_bounce_to_a_sender_that_failed_authentication(community, committed):
    with committed():
        outcome = receive(
            message(
                to="nobody@post.commsnet.example.gov.uk",
                sender="spoofed@example.gov.uk",
                Authentication_Results="mx.commsnet.example.gov.uk; spf=fail; dkim=none; dmarc=fail",
            )
        )
    assert outcome.status == "rejected"
    assert bounces() == []


def _with_attachment(msg, filename, content, maintype, subtype):
    msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def test_reply_by_email_keeps_an_accepted_attachment(answered, bob, committed):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    msg = _with_attachment(message(to=address_for(bob, answered)), "Flood plan.pdf", pdf, "application", "pdf")
    with committed():
        outcome = receive(msg)
    assert outcome.status == "accepted"
    [attachment] = outcome.post.attachments.all()
    assert (attachment.filename, attachment.content_type) == ("Flood_plan.pdf", "application/pdf")


def test_reply_by_email_with_a_refused_attachment_is_bounced(answered, bob, committed):
    msg = _with_attachment(
        message(to=address_for(bob, answered)), "run-me.exe", b"MZ\x90\x00", "application", "octet-stream"
    )
    with committed():
        outcome = receive(msg)
    assert outcome.status == "rejected"
    assert not Post.objects.filter(author=bob).exists()
    assert "is not a file we accept" in bounces()[0].body


def test_reply_by_email_keeps_an_accepted_docx(answered, bob, committed):
    docx = craft_zip([deflated("[Content_Types].xml", DOCX_MANIFEST), deflated("word/document.xml", b"<w/>")])
    msg = _with_attachment(message(to=address_for(bob, answered)), "Plan.docx", docx, "application", "octet-stream")
    with committed():
        outcome = receive(msg)
    assert outcome.status == "accepted"
    assert [a.filename for a in outcome.post.attachments.all()] == ["Plan.docx"]


def test_reply_with_a_zip_bomb_is_bounced_with_bounded_memory(answered, bob, committed):
    bomb = docx_bomb()  # 2 MB attached, 2 GiB once unpacked
    msg = _with_attachment(message(to=address_for(bob, answered)), "plan.docx", bomb, "application", "octet-stream")
    tracemalloc.start()
    try:
        with committed():
            outcome = receive(msg)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome.status == "rejected"
    assert not Post.objects.filter(author=bob).exists()
    assert "plan.docx is too large to check once unpacked" in bounces()[0].body
    assert peak < 64 * MIB


def test_reply_with_a_picture_over_50_megapixels_is_bounced(answered, bob, committed):
    msg = _with_attachment(message(to=address_for(bob, answered)), "map.png", png_bomb(8000, 8000), "image", "png")
    with committed():
        outcome = receive(msg)
    assert outcome.status == "rejected"
    assert "map.png has more than 50 million pixels" in bounces()[0].body


def test_a_refusal_by_the_forum_service_is_a_polite_rejection(answered, bob, committed):
    from django.core.exceptions import PermissionDenied

    with mock.patch("forums.services.post_reply", side_effect=PermissionDenied), committed():
        outcome = receive(message(to=address_for(bob, answered)))
    assert (outcome.status, outcome.reason) == ("rejected", "You cannot post there at the moment.")
    assert len(bounces()) == 1
