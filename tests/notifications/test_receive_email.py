"""The MTA pipe's exit codes: 0 when handled, a permanent refusal (65, 69) for what
can never succeed, 75 only for a fault worth retrying; and odd charsets decoded."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError

from forums.models import Post, Thread
from notifications.management.commands import receive_email
from notifications.parsing import body_text, decode
from tests.notifications.test_inbound import address_for, passed
from tests.notifications.test_parsing import load

UNKNOWN_CHARSET = (
    "Authentication-Results: {auth}\r\n"
    "From: Bob Member <bob@example.gov.uk>\r\n"
    "To: {to}\r\n"
    "Subject: =?x-klingon-8?q?Gritting_routes?=\r\n"
    "Message-ID: <klingon@example.gov.uk>\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: text/plain; charset="x-klingon-8"\r\n'
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Where do you publish gritting routes? Caf\u00e9 menus too.\r\n"
)


def run(raw: bytes) -> tuple[int, str]:
    stdin = mock.Mock(buffer=io.BytesIO(raw))
    out, err = io.StringIO(), io.StringIO()
    with mock.patch("sys.stdin", stdin):
        try:
            call_command("receive_email", stdout=out, stderr=err)
        except SystemExit as exit_:
            return exit_.code, err.getvalue()
    return 0, out.getvalue()


def test_unknown_charset_falls_back_to_utf8():
    assert decode("Caf\u00e9".encode(), "x-klingon-8") == "Caf\u00e9"


def test_undecodable_bytes_become_replacement_characters():
    assert decode(b"Caf\xe9", "utf-8") == "Caf\ufffd"


def test_known_charsets_are_still_honoured():
    assert "Hi Alice," in body_text(load("outlook_reply.eml"))
    assert decode("Caf\u00e9".encode("latin-1"), "iso-8859-1") == "Caf\u00e9"


def test_reply_in_an_unknown_charset_is_posted(answered_by_alice, bob, committed):
    raw = UNKNOWN_CHARSET.format(auth=passed(bob.email), to=address_for(bob, answered_by_alice)).encode()
    with committed():
        code, output = run(raw)
    assert (code, output.strip()) == (0, "accepted")
    assert Post.objects.get(author=bob).body == "Where do you publish gritting routes? Caf\u00e9 menus too."


def test_new_thread_with_an_unknown_charset_subject_is_handled(community, bob, committed):
    raw = UNKNOWN_CHARSET.format(auth=passed(bob.email), to="crisis-comms@post.commsnet.example.gov.uk").encode()
    with committed():
        code, _ = run(raw)
    assert code == 0
    assert Thread.objects.get().title  # some title, never a crash


def test_oversized_message_is_refused_permanently(db):
    with mock.patch.object(receive_email, "MAX_BYTES", 100):
        code, error = run(b"From: bob@example.gov.uk\r\n\r\n" + b"x" * 200)
    assert code == 69
    assert "larger than" in error


@pytest.mark.parametrize("raw", [b"", b"\r\n\r\njust a body", b"Subject: no sender\r\n\r\nHello"])
def test_a_message_without_headers_or_sender_is_refused_as_malformed(db, raw):
    code, _ = run(raw)
    assert code == 65


def test_database_down_asks_the_mta_to_try_again(db):
    with mock.patch.object(receive_email, "receive", side_effect=OperationalError("connection refused")):
        code, error = run(b"From: bob@example.gov.uk\r\nSubject: Hi\r\n\r\nHello")
    assert code == 75
    assert "try again" in error


def test_a_refused_message_exits_zero_so_the_mta_does_not_bounce_it_again(db):
    code, output = run(b"From: bob@example.gov.uk\r\nTo: nobody@elsewhere.example\r\nSubject: Hi\r\n\r\nHello")
    assert code == 0
    assert output.startswith("rejected")


@pytest.fixture
def answered_by_alice(community, alice):
    from tests.factories import make_reply, make_thread

    return make_reply(thread=make_thread(community=community, author=alice), author=alice)
