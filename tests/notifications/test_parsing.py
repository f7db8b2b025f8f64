"""Stripping quoted history, reply headers and signatures from real-world replies."""

import email
from email import policy
from pathlib import Path

import pytest

from notifications.parsing import html_to_text, reply_text, strip_reply

SAMPLES = Path(__file__).parent / "samples"


def load(name: str, to: str = "reply+x@reply.example", sender: str = "bob@example.gov.uk"):
    raw = (SAMPLES / name).read_text().replace("{{TO}}", to).replace("{{FROM}}", sender).encode()
    return email.message_from_bytes(raw, policy=policy.default)


def test_outlook_reply_keeps_the_answer_and_sign_off_only():
    text = reply_text(load("outlook_reply.eml"))
    assert text == (
        "Hi Alice,\n\nWe did the same during Storm Bert: one pinned post with the Environment Agency map, "
        "updated every two hours, and we turned replies off on the others.\n\nKind regards,\nBob Member"
    )


def test_gmail_reply_drops_the_wrapped_on_wrote_header_and_quote():
    text = reply_text(load("gmail_reply.eml"))
    assert text == (
        "Good shout about the pinned post \u2013 we'll try that next time.\n\n"
        "Does anyone have alt text guidance for the flood maps?\n\nThanks,\nBob"
    )


def test_apple_mail_reply_drops_sent_from_my_iphone_and_quote():
    text = reply_text(load("apple_mail_reply.eml"))
    assert text == ("Agree with all of the above. We also share the Met Office warnings rather than writing our own.")


def test_html_only_mail_becomes_markdownish_text_without_signature_or_history():
    text = reply_text(load("html_only_outlook.eml"))
    assert text == (
        "Our **winter resilience** plan is here: [winter plan](https://www.example.gov.uk/winter).\n\n"
        "- Pinned post\n- Hourly updates"
    )


def test_outlook_original_message_block_and_dash_dash_signature_are_dropped():
    assert reply_text(load("outlook_dashes_reply.eml")) == "Yes \u2013 we can share our template."


@pytest.mark.parametrize(
    "footer",
    [
        "Get Outlook for iOS",
        "Sent from my Samsung Galaxy smartphone.",
        "CONFIDENTIALITY NOTICE: this message is for the addressee only.",
        "This message may contain confidential information.",
        "Please consider the environment before printing this email.",
    ],
)
def test_common_footers_are_stripped(footer):
    assert strip_reply(f"We use Hootsuite.\n\n{footer}\nMore footer") == "We use Hootsuite."


def test_inline_quoted_lines_are_dropped():
    assert strip_reply("> What do you use?\nWe use Hootsuite.") == "We use Hootsuite."


def test_html_scripts_and_styles_are_not_text():
    assert html_to_text("<style>p{}</style><script>alert(1)</script><p>Hello</p>") == "Hello"
