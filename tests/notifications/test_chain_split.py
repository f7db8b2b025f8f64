"""Splitting forwarded reply-all chains into their messages: who sent each, when, in
reply order, each once, as Outlook, Gmail and Apple Mail forward them."""

from datetime import UTC, datetime

import pytest

from notifications.chain_services import chain_messages_from_text
from notifications.chain_split import is_forward, parse_date, split_message
from tests.notifications import chain_samples as samples

PRIYA = ("Priya Shah", "priya.shah@council.gov.uk", datetime(2020, 3, 2, 9, 0, tzinfo=UTC), samples.OPENING)
BOB = ("Bob Member", "bob@example.gov.uk", datetime(2020, 3, 2, 10, 15, tzinfo=UTC), samples.ANSWER)
SAM = ("Sam Jones", "sam.jones@borough.gov.uk", datetime(2020, 3, 3, 11, 30, tzinfo=UTC), samples.ADDITION)


def summary(messages):
    return [(m.name, m.address, m.date, m.body.split("\n")[0]) for m in messages]


@pytest.mark.parametrize("chain", ["OUTLOOK", "GMAIL", "APPLE"])
def test_each_message_of_a_forwarded_chain_is_found_in_reply_order(chain):
    assert summary(chain_messages_from_text(getattr(samples, chain))) == [PRIYA, BOB, SAM]


def test_the_forwarders_own_note_is_not_part_of_the_chain():
    bodies = " ".join(m.body for m in chain_messages_from_text(samples.OUTLOOK))
    assert "Bringing this useful thread" not in bodies


def test_a_nested_forward_keeps_each_message_once_with_the_inner_forwarders_note():
    found = summary(chain_messages_from_text(samples.NESTED))
    dee = ("Dee Lane", "dee.lane@agency.gov.uk", datetime(2020, 3, 4, 8, tzinfo=UTC), "Passing this on as promised.")
    assert found == [PRIYA, BOB, SAM, dee]


def test_messages_attached_as_rfc822_are_split_and_their_quoted_copies_dropped():
    # Sam's attached email quotes Bob's by name only: one post for Bob, by his address.
    assert summary(split_message(samples.attached_email())) == [PRIYA, BOB, SAM]


def test_an_outlook_sender_without_an_address_keeps_their_name_only():
    text = "-----Original Message-----\nFrom: Sam Jones\nSent: Tuesday, March 3, 2020 11:30 AM\n\nHello all."
    [message] = chain_messages_from_text(text)
    assert (message.name, message.address) == ("Sam Jones", "")


def test_text_with_no_forwarded_emails_has_no_chain():
    assert chain_messages_from_text("Just a note, no emails here.\n\nThanks") == []


@pytest.mark.parametrize(
    "written",
    [
        "Monday, March 2, 2020 9:00 AM",
        "Monday, 2 March 2020 09:00",
        "Mon, 2 Mar 2020 at 09:00",
        "2 March 2020 at 09:00:00 GMT",
        "Mon, 2 Mar 2020 09:00:00 +0000",
    ],
)
def test_dates_as_mail_clients_write_them_are_read(written):
    assert parse_date(written) == datetime(2020, 3, 2, 9, 0, tzinfo=UTC)


def test_an_unreadable_date_is_none():
    assert parse_date("sometime last spring") is None


@pytest.mark.parametrize(
    ("subject", "expected"),
    [("Fwd: Winter plans", True), ("FW: Winter plans", True), ("[list] Fwd: x", True), ("Winter plans", False)],
)
def test_a_forward_is_known_by_its_subject(subject, expected):
    message = samples.forward_email("Hello")
    message.replace_header("Subject", subject)
    assert is_forward(message) is expected


def test_a_forward_is_known_by_its_attached_emails():
    message = samples.attached_email()
    message.replace_header("Subject", "Three emails")
    assert is_forward(message)


def test_a_wrapped_to_line_is_not_taken_for_the_message_text():
    text = (
        "---------- Forwarded message ---------\nFrom: Sam Jones <sam.jones@borough.gov.uk>\n"
        "Date: Tue, 3 Mar 2020 at 11:30\nSubject: Re: Plans\nTo: Bob Member <bob@example.gov.uk>,\n"
        "Priya Shah <priya.shah@council.gov.uk>\n\nSee you there."
    )
    [message] = chain_messages_from_text(text)
    assert message.body == "See you there."


def test_an_html_only_outlook_forward_is_split_too():
    assert summary(split_message(samples.html_forward_email())) == [PRIYA, BOB, SAM]
