"""Every email of a thread stays one conversation in Gmail, Apple Mail, Thunderbird
(Message-ID, In-Reply-To, References, subject) and Outlook (Thread-Topic, Thread-Index)."""

import base64

from django.core import mail

from notifications.mail_threading import MAX_REFERENCES, references
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.notifications.factories import email_to, set_mode


def _thread_emails(community, alice, bob, committed):
    """Bob gets every post of a thread whose replies nest three deep."""
    set_mode(bob, community, "every_post")
    with committed():
        thread = make_thread(community=community, author=alice, title="Flood warnings on social media")
        first = make_reply(thread=thread, author=alice, body="We post every hour.")
        second = make_reply(thread=thread, author=alice, body="And pin it.", parent=first)
        third = make_reply(thread=thread, author=alice, body="Until the warning ends.", parent=second)
    opening = thread.posts.get(parent__isnull=True)
    by_id = {m.extra_headers["Message-ID"]: m for m in email_to(mail.outbox, bob)}
    ids = [f"<post-{post.pk}@post.commsnet.example.gov.uk>" for post in (opening, first, second, third)]
    return [by_id[message_id] for message_id in ids], ids


def test_a_deep_reply_references_its_whole_ancestor_chain_and_answers_its_parent(community, alice, bob, committed):
    emails, ids = _thread_emails(community, alice, bob, committed)
    deepest = emails[3].extra_headers
    assert deepest["In-Reply-To"] == ids[2]
    assert deepest["References"] == " ".join(ids[:3])
    assert "References" not in emails[0].extra_headers


def test_long_chains_keep_the_opening_post_and_the_nearest_ancestors():
    chain = list(range(1, 31))
    kept = references(chain).split()
    assert len(kept) == MAX_REFERENCES
    assert kept[0] == "<post-1@post.commsnet.example.gov.uk>"
    assert kept[-1] == "<post-30@post.commsnet.example.gov.uk>"


def test_subjects_read_re_community_title_for_replies(community, alice, bob, committed):
    emails, _ = _thread_emails(community, alice, bob, committed)
    assert emails[0].subject == "[Crisis communications] Flood warnings on social media"
    assert {m.subject for m in emails[1:]} == {"Re: [Crisis communications] Flood warnings on social media"}


def test_outlook_headers_share_the_thread_topic_and_index_header(community, alice, bob, committed):
    emails, _ = _thread_emails(community, alice, bob, committed)
    indexes = [base64.b64decode(m.extra_headers["Thread-Index"]) for m in emails]
    assert [len(index) for index in indexes] == [22, 27, 32, 37]
    assert len({index[:22] for index in indexes}) == 1
    assert indexes[3].startswith(indexes[2]) and indexes[2].startswith(indexes[1])
    assert {m.extra_headers["Thread-Topic"] for m in emails} == {"Flood warnings on social media"}


def test_different_threads_get_different_outlook_conversations(community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    other = CommunityFactory(name="Internal comms", slug="internal-comms")
    MembershipFactory(community=other, user=bob)
    MembershipFactory(community=other, user=alice)
    set_mode(bob, other, "every_post")
    with committed():
        make_thread(community=community, author=alice, title="Same title")
        make_thread(community=other, author=alice, title="Same title")
    headers = {base64.b64decode(m.extra_headers["Thread-Index"])[6:22] for m in email_to(mail.outbox, bob)}
    assert len(headers) == 2
