"""Email in, fail closed: a new thread needs our server's authentication of its
sender, else it waits for the member's confirmation from a link emailed to them."""

import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError
from django.utils import timezone

from forums.models import Post, Thread
from notifications.inbound import holds_expire, receive
from notifications.inbound_holds import confirmation_send
from notifications.models import HeldInboundMessage, InboundMessage
from tests.factories import make_reply, make_thread
from tests.notifications.test_inbound import address_for, bounces, message, passed
from tests.notifications.test_parsing import SAMPLES

POSTING = "crisis-comms@post.commsnet.example.gov.uk"
OUR_DMARC = "Authentication-Results: mx.commsnet.example.gov.uk; dmarc=pass (p=reject dis=none) header.from={domain}"
FORGED = "Authentication-Results: mx.commsnet.example.gov.uk; dmarc=pass header.from={domain}\n"
CLIENTS = ["outlook_new_thread.eml", "gmail_new_thread.eml", "apple_mail_new_thread.eml", "thunderbird_new_thread.eml"]
TITLES = {
    "outlook_new_thread.eml": "Social media sign-off during the pre-election period",
    "gmail_new_thread.eml": "Alt text for flood maps",
    "apple_mail_new_thread.eml": "Press releases in Welsh as well as English",
    "thunderbird_new_thread.eml": "Template for road closure notices",
}


def sample(name, sender, auth="ours", forged=False):
    """A client's new-thread email as our server hands it over: with our server's
    Authentication-Results on top, or none, and maybe one the sender wrote themselves."""
    domain = sender.rpartition("@")[2]
    raw = (SAMPLES / name).read_text().replace("{{TO}}", POSTING).replace("{{FROM}}", sender)
    top = OUR_DMARC.format(domain=domain) + "\n" if auth == "ours" else ""
    raw = raw.replace("{{AUTH}}\n", top)
    if forged:  # just above From, among the sender's own headers
        raw = raw.replace("From: ", FORGED.format(domain=domain) + "From: ", 1)
    return BytesParser(policy=policy.default).parsebytes(raw.encode())


def confirm_url():
    [confirmation] = [m for m in mail.outbox if m.subject.startswith("Confirm")]
    return re.search(r"https://commsnet\.example\.gov\.uk(/email/confirm/\S+/)", confirmation.body)[1]


@pytest.mark.parametrize("name", CLIENTS)
def test_new_thread_authenticated_by_our_server_is_posted(community, bob, committed, name):
    with committed():
        outcome = receive(sample(name, bob.email))
    assert outcome.status == "accepted"
    assert (outcome.post.thread.title, outcome.post.author) == (TITLES[name], bob)


@pytest.mark.parametrize("name", CLIENTS)
def test_new_thread_without_our_authentication_is_held_not_posted(community, bob, committed, name):
    with committed():
        outcome = receive(sample(name, bob.email, auth=None))
    assert outcome.status == "held"
    assert not Thread.objects.exists()
    held = HeldInboundMessage.objects.get()
    assert (held.user, held.title, held.confirm_to) == (bob, TITLES[name], bob.email)
    assert confirm_url()


@pytest.mark.parametrize("name", CLIENTS)
def test_new_thread_with_a_sender_written_pass_is_held(community, bob, committed, name):
    with committed():
        outcome = receive(sample(name, bob.email, auth=None, forged=True))
    assert outcome.status == "held"
    assert not Thread.objects.exists()


def test_thunderbird_new_thread_keeps_the_message_without_the_signature(community, bob, committed):
    with committed():
        outcome = receive(sample("thunderbird_new_thread.eml", bob.email))
    assert outcome.post.body == (
        "Has anyone got a plain English template for road closure notices? Ours\nread like legal orders."
    )


def test_new_thread_from_a_stranger_without_authentication_gets_no_bounce(community, committed):
    with committed():
        outcome = receive(sample("gmail_new_thread.eml", "someone@elsewhere.example", auth=None))
    assert outcome.status == "rejected"
    assert mail.outbox == []


def test_held_new_thread_in_a_private_community_is_not_posted_by_a_forger(private_community, bob, committed):
    msg = message(to="police-press@post.commsnet.example.gov.uk", authenticated=False, subject="Leak this")
    with committed():
        outcome = receive(msg)
    assert outcome.status == "held"
    assert not Thread.objects.filter(community=private_community).exists()
    [confirmation] = mail.outbox
    assert confirmation.to == [bob.email]
    assert "Leak this" in confirmation.body


def test_reply_from_an_unverified_address_of_the_member_is_held(community, alice, bob, committed):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=bob, email="bob@home.example", verified=False)
    post = make_reply(thread=make_thread(community=community, author=alice), author=alice)
    with committed():
        outcome = receive(message(to=address_for(bob, post), sender="bob@home.example"))
    assert outcome.status == "held"
    assert mail.outbox[0].to == [bob.email]


def test_reply_from_the_members_address_that_failed_dmarc_is_held(community, alice, bob, committed):
    post = make_reply(thread=make_thread(community=community, author=alice), author=alice)
    failed = (
        "mx.commsnet.example.gov.uk; spf=fail smtp.mailfrom=x@attacker.example; dmarc=fail header.from=example.gov.uk"
    )
    with committed():
        outcome = receive(message(to=address_for(bob, post), Authentication_Results=failed))
    assert outcome.status == "held"
    assert not Post.objects.filter(author=bob).exists()


def test_reply_from_the_members_address_without_authentication_is_posted(community, alice, bob, committed):
    post = make_reply(thread=make_thread(community=community, author=alice), author=alice)
    with committed():
        outcome = receive(message(to=address_for(bob, post), authenticated=False))
    assert outcome.status == "accepted"


# Confirming


@pytest.fixture
def held(community, bob, committed):
    with committed():
        receive(message(to=POSTING, authenticated=False, subject="Snow closures", body="How do you announce them?"))
    return HeldInboundMessage.objects.get()


def test_confirm_page_shows_the_held_message_and_a_button(client, held):
    response = client.get(confirm_url())
    assert response.status_code == 200
    assert b"How do you announce them?" in response.content
    assert b"Post it" in response.content
    assert not Thread.objects.exists()


def test_confirming_posts_the_held_thread_as_the_member(client, held, bob, community, committed):
    with committed():
        response = client.post(confirm_url())
    thread = Thread.objects.get()
    assert (thread.title, thread.author, thread.community) == ("Snow closures", bob, community)
    assert response.status_code == 200
    assert b"Your email has been posted" in response.content
    assert not HeldInboundMessage.objects.exists()
    assert InboundMessage.objects.get().status == "accepted"


def test_a_confirmation_link_works_once(client, held, committed):
    url = confirm_url()
    with committed():
        client.post(url)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 404
    assert Thread.objects.count() == 1


def test_a_tampered_confirmation_link_is_404(client, held):
    assert client.get(confirm_url()[:-3] + "xx/").status_code == 404


def test_an_expired_hold_cannot_be_confirmed_and_is_cleaned_up(client, held):
    url = confirm_url()
    HeldInboundMessage.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(url).status_code == 404
    assert holds_expire() == 1
    assert InboundMessage.objects.get().status == "rejected"
    assert not Thread.objects.exists()


def test_confirming_rechecks_the_rules_and_says_why_not(client, held, community, bob):
    community.memberships.filter(user=bob).update(status="banned")
    response = client.post(confirm_url())
    assert response.status_code == 200
    assert b"We could not post your email" in response.content
    assert not Thread.objects.exists()
    assert HeldInboundMessage.objects.exists()


def test_forged_mail_cannot_flood_a_member_with_confirmations(community, bob, committed):
    with committed():
        for number in range(12):
            receive(message(to=POSTING, authenticated=False, message_id=f"<{number}@forged.example>"))
    assert HeldInboundMessage.objects.count() == 10
    assert len(mail.outbox) == 10


def test_confirm_page_refuses_other_methods(client, held):
    assert client.put(confirm_url()).status_code == 405


def test_confirming_a_held_reply_posts_it_under_the_answered_post(client, community, alice, bob, committed):
    post = make_reply(thread=make_thread(community=community, author=alice), author=alice)
    with committed():
        receive(message(to=address_for(bob, post), sender="bob.member@gmail.example"))
    with committed():
        client.post(confirm_url())
    reply = Post.objects.get(author=bob)
    assert (reply.parent, reply.body) == (post, "We pin one post and update it.")


# Limits and bounces


def test_email_over_the_body_limit_is_refused_with_the_limit_said(community, bob, committed):
    with committed():
        outcome = receive(message(to=POSTING, subject="Long", body="word " * 4_500))
    assert outcome.status == "rejected"
    assert not Thread.objects.exists()
    assert "Posts can be up to 20,000 characters" in bounces()[0].body


def test_subject_over_the_title_limit_is_refused_not_cut(community, bob):
    outcome = receive(message(to=POSTING, subject="A" * 201))
    assert outcome.status == "rejected"
    assert "up to 200 characters" in outcome.reason


def test_bounces_are_limited_per_address_per_day(committed, db):
    with committed():
        for number in range(8):
            receive(message(to="nobody@elsewhere.example", message_id=f"<{number}@x.example>"))
    assert len(bounces()) == 5


def test_a_bounce_repeats_only_a_short_clean_subject(committed, db):
    subject = "Buy now\u0007 " + "cheap pills " * 20
    with committed():
        receive(message(to="nobody@elsewhere.example", subject=subject))
    [bounce] = bounces()
    assert len(bounce.subject) <= len("Not posted: ") + 60
    assert "\u0007" not in bounce.subject and "\u0007" not in bounce.body
    assert "cheap pills " * 10 not in bounce.body


def test_no_bounce_without_our_authentication_even_for_a_member(community, bob, committed):
    with committed():
        receive(message(to="nobody@post.commsnet.example.gov.uk", authenticated=False))
    assert mail.outbox == []


def test_a_member_authenticated_by_spf_alone_may_start_a_thread(community, bob, committed):
    header = "mx.commsnet.example.gov.uk; spf=pass smtp.mailfrom=bounces@mail.example.gov.uk"
    with committed():
        outcome = receive(message(to=POSTING, Authentication_Results=header))
    assert outcome.status == "accepted"


def test_passed_header_helper_is_what_our_server_writes():
    assert passed("bob@example.gov.uk").startswith("mx.commsnet.example.gov.uk;")


def test_a_confirmation_email_that_failed_to_queue_is_sent_when_the_task_runs_again(held, monkeypatch):
    HeldInboundMessage.objects.update(confirmation_sent_at=None)
    mail.outbox.clear()
    real_send = EmailMultiAlternatives.send

    def database_gone(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(EmailMultiAlternatives, "send", database_gone)
    with pytest.raises(OperationalError):
        confirmation_send(held_id=held.pk)
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)

    assert confirmation_send(held_id=held.pk) is True
    assert len(mail.outbox) == 1
