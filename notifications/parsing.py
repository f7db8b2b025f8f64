"""Turning an email into the words a member meant to post: the body part (HTML-only
mail converted to Markdown-ish text), without quoted history, reply headers
("On … wrote:", Outlook's "From: … Sent: …" block), signatures and disclaimers."""

from __future__ import annotations

import codecs
import re
from email.message import EmailMessage, Message
from html.parser import HTMLParser

QUOTE_HEADERS = [
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.I),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}", re.I),  # Outlook (older)
    re.compile(r"^\s*-{2,}\s*Forwarded message\s*-{2,}", re.I),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above the reply header
    re.compile(r"^\s*Begin forwarded message:", re.I),
]
OUTLOOK_FROM = re.compile(r"^\s*\*?From:\*?\s+\S", re.I)
OUTLOOK_SENT = re.compile(r"^\s*\*?(Sent|Date):\*?\s+\S", re.I)
SIGNATURE_STARTS = [
    re.compile(r"^--\s*$"),
    re.compile(r"^\s*Sent from my (iPhone|iPad|Android|Samsung|mobile|BlackBerry)", re.I),
    re.compile(r"^\s*Sent from (Outlook|Mail for Windows|Yahoo Mail)", re.I),
    re.compile(r"^\s*Get Outlook for (iOS|Android)", re.I),
    re.compile(r"^\s*Sent with Proton Mail", re.I),
]
DISCLAIMER_STARTS = re.compile(
    r"^\s*(DISCLAIMER|CONFIDENTIALITY( NOTICE)?:?|IMPORTANT:? This (e-?mail|message)"
    r"|This (e-?mail|message|communication)\b.{0,80}\b(confidential|privileged|intended (solely|only))"
    r"|The information (in|contained in) this (e-?mail|message)"
    r"|This (e-?mail|message) has been (scanned|checked)"
    r"|Please consider the environment before printing)",
    re.I,
)
# Government security markings head and foot many messages; they are not content.
MARKING = re.compile(r"^\s*OFFICIAL(\s*-\s*SENSITIVE)?\s*$")
VALEDICTION = re.compile(
    r"^\s*(kind(est)? regards|best regards|warm(est)? regards|regards|best wishes|many thanks|thanks( again)?"
    r"|thank you|cheers|all the best|yours sincerely|yours faithfully|best)\s*[,.!]?\s*$",
    re.I,
)


def body_text(message: Message) -> str:
    """The text a person wrote: the plain-text part, or the HTML part as text."""
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain", "html"))
    else:  # a legacy-policy message: take the first text part
        part = next((p for p in message.walk() if p.get_content_maintype() == "text"), None)
    if part is None:
        return ""
    payload = part.get_payload(decode=True) or b""
    text = decode(payload, part.get_content_charset())
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(payload: bytes, charset: str | None) -> str:
    """Bytes in the charset a message names; a charset Python does not know (a typo,
    an invented name) falls back to UTF-8, and undecodable bytes become U+FFFD."""
    try:
        codecs.lookup(charset or "utf-8")
    except LookupError:
        charset = "utf-8"
    return payload.decode(charset or "utf-8", errors="replace")


def _cut_index(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        joined = line + " " + (lines[index + 1] if index + 1 < len(lines) else "")
        if any(p.match(line) for p in QUOTE_HEADERS):
            return index
        # "On Tue, 3 Nov 2026 at 09:12, Priya Shah <priya@…>\nwrote:" wrapped over two lines.
        if line.strip().lower().startswith("on ") and QUOTE_HEADERS[0].match(joined):
            return index
        if OUTLOOK_FROM.match(line) and any(OUTLOOK_SENT.match(n) for n in lines[index + 1 : index + 5]):
            return index
        if any(p.match(line) for p in SIGNATURE_STARTS) or DISCLAIMER_STARTS.match(line):
            return index
    return len(lines)


def _cut_signature_block(lines: list[str]) -> list[str]:
    """Keep a sign-off ("Kind regards," and the name under it) but not the job title,
    organisation, phone numbers and logos a corporate signature adds below it."""
    for index in range(len(lines) - 1, -1, -1):
        if VALEDICTION.match(lines[index]):
            tail = [line for line in lines[index + 1 :] if line.strip()]
            if len(tail) <= 12:
                return lines[: index + 1] + tail[:1]
            break
    return lines


def strip_reply(text: str) -> str:
    lines = [line for line in text.split("\n") if not MARKING.match(line)]
    lines = lines[: _cut_index(lines)]
    # Inline quotes ("> …") are the other person's words.
    lines = [line.rstrip() for line in lines if not line.lstrip().startswith(">")]
    lines = _cut_signature_block(lines)
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return cleaned


def reply_text(message: Message) -> str:
    return strip_reply(body_text(message))


class _TextMaker(HTMLParser):
    """A small HTML-to-Markdown-ish converter: paragraphs, line breaks, lists, links,
    bold and italic; quoted history (blockquote, Gmail's and Outlook's reply blocks)
    and anything after it are dropped, as are scripts and styles."""

    BLOCKS = {"p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.stopped = False
        self.href: str | None = None
        self.link_text: list[str] = []

    def _is_quote(self, tag: str, attrs: dict) -> bool:
        classes = (attrs.get("class") or "").split()
        return (
            tag == "blockquote"
            or "gmail_quote" in classes
            or "gmail_signature" in classes
            or attrs.get("id") in {"divRplyFwdMsg", "appendonsend", "Signature"}
            or (tag == "hr" and attrs.get("id") == "stopSpelling")
        )

    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        attrs = dict(attrs)
        if self._is_quote(tag, attrs):
            self.stopped = True
            return
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("_")
        elif tag == "a" and (attrs.get("href") or "").startswith(("http://", "https://", "mailto:")):
            self.href = attrs["href"]
            self.link_text = []

    def handle_endtag(self, tag):
        if self.stopped:
            return
        if tag in self.SKIP:
            self.skip_depth = max(self.skip_depth - 1, 0)
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("_")
        elif tag == "a" and self.href:
            text = "".join(self.link_text).strip()
            self.out.append(f"[{text}]({self.href})" if text and text != self.href else self.href)
            self.href = None

    def handle_data(self, data):
        if self.stopped or self.skip_depth:
            return
        data = re.sub(r"\s+", " ", data)
        if self.href is not None:
            self.link_text.append(data)
        else:
            self.out.append(data)


def html_to_text(html: str) -> str:
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    text = "".join(maker.out)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
