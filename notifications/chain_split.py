"""Splitting a forwarded reply-all chain into its messages, oldest first, duplicates
removed: Outlook's "-----Original Message-----" and "From: … Sent: …" blocks, Gmail's
and Apple Mail's forwarded blocks, "On … wrote:" with its quoted copy, and attached
message/rfc822 parts (nested too). Cleaning is the archive import's (chain_services)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from core.text import one_line
from notifications.parsing import _TextMaker, body_text, strip_reply

MAX_CHAIN_MESSAGES = 200  # more than any real chain; a bound on the work one email asks for
MAX_DEPTH = 20  # nested forwards and quotes followed this deep

MARKERS = re.compile(
    r"^\s*(-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Forwarded message\s*-{2,}|Begin forwarded message:"
    r"|_{10,})\s*$",
    re.I,
)
FORWARD_SUBJECT = re.compile(r"^\s*(\[[^\]]{1,100}\]\s*)*(fw|fwd|tr|wg)\s*:", re.I)
HEADER = re.compile(r"^\s*\**(From|Sent|Date|To|Cc|Subject|Reply-To)\**:\**\s*(.*)$", re.I)
ATTRIBUTION = re.compile(r"^\s*On (?P<date>.+), (?P<who>[^,]+?) wrote:\s*$", re.I)
DATE_FORMATS = [
    "%A, %B %d, %Y %I:%M %p",  # Outlook: Monday, March 2, 2020 9:00 AM
    "%A, %d %B %Y %H:%M",  # Outlook (UK): Monday, 2 March 2020 09:00
    "%a, %b %d, %Y %I:%M %p",  # Gmail: Mon, Mar 2, 2020 at 9:00 AM (after "at" goes)
    "%a, %d %b %Y %H:%M",  # Gmail (UK): Mon, 2 Mar 2020 at 09:00
    "%d %B %Y %H:%M:%S",  # Apple Mail: 2 March 2020 at 09:00:00 GMT
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y, %H:%M",  # Apple Mail's "On 2 Mar 2020, at 10:15, … wrote:"
    "%d %b %Y, %H:%M",
    "%d/%m/%Y %H:%M",
]


@dataclass
class ChainMessage:
    name: str
    address: str
    date: datetime | None
    subject: str
    body: str

    @property
    def words(self) -> str:
        """What the sender wrote, signature and quoted lines aside (as the post will show)."""
        return " ".join(strip_reply(self.body).split())[:2000]

    def same_as(self, other: ChainMessage) -> bool:
        """Two copies of one message: the same words, from the same sender where both
        copies name an address (a quoted copy often keeps only the name)."""
        if self.words != other.words:
            return False
        return not (self.address and other.address) or self.address == other.address


def parse_date(value: str) -> datetime | None:
    """Dates as mail clients write them in forwarded headers; None when unreadable."""
    value = one_line(value)
    try:
        date = parsedate_to_datetime(value)
        return date.replace(tzinfo=UTC) if date.tzinfo is None else date
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    cleaned = re.sub(r"\s+at\s+", " ", value)
    cleaned = re.sub(r"\s+(GMT|BST|UTC|[+-]\d{4}|\(.*\))\s*$", "", cleaned.replace(",", ", ")).replace(" ,", ",")
    cleaned = " ".join(cleaned.split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _person(value: str) -> tuple[str, str]:
    """(name, address) from "Name <address>", "Name [mailto:address]" or a bare name."""
    value = re.sub(r"\[mailto:([^\]]+)\]", r"<\1>", one_line(value))
    if "@" not in value:
        return value.strip("'\" *"), ""
    pairs = getaddresses([value])
    name, address = pairs[0] if pairs else ("", "")
    if "@" not in address:
        name, address = (name or address or value), ""
    name = name.strip("'\" *")
    return ("" if "@" in name else name), address.strip().lower()


def _headers_at(lines: list[str], start: int) -> tuple[dict[str, str], int] | None:
    """The "From: … Subject: …" block starting at `start` (blank lines before it
    skipped); None unless it names a sender and a date."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    found: dict[str, str] = {}
    last = None
    while index < len(lines) and lines[index].strip():
        match = HEADER.match(lines[index])
        if match:
            last = match[1].lower()
            found.setdefault(last, match[2].strip())
        elif last and (lines[index].startswith((" ", "\t")) or _wrapped_addresses(last, lines[index])):
            found[last] += " " + lines[index].strip()
        else:
            break
        index += 1
    if "from" not in found or not ({"sent", "date"} & found.keys()):
        return None
    return found, index


def _wrapped_addresses(header: str, line: str) -> bool:
    """Gmail wraps a long To or Cc line without indenting it: those addresses must not
    become the start of the message's text."""
    return header in {"to", "cc"} and ("@" in line or line.rstrip().endswith((",", ";")))


def _unquote(lines: list[str]) -> list[str]:
    return [re.sub(r"^\s?>\s?", "", line) for line in lines]


def _quoted_or_blank(line: str) -> bool:
    return line.lstrip().startswith(">") or not line.strip()


def _attribution(lines: list[str], index: int) -> tuple[re.Match, int] | None:
    """An "On … wrote:" line (Gmail wraps it over two) and the index after it."""
    line = lines[index]
    if not line.strip().lower().startswith("on "):
        return None
    match = ATTRIBUTION.match(line)
    if match:
        return match, index + 1
    if index + 1 < len(lines):
        match = ATTRIBUTION.match(line.rstrip() + " " + lines[index + 1].strip())
        if match:
            return match, index + 2
    return None


def split_text(text: str, *, subject: str = "", depth: int = 0) -> tuple[str, list[ChainMessage]]:
    """(the text before the first forwarded or quoted message, the messages after it,
    newest first as they appear)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    own: list[str] = []
    messages: list[ChainMessage] = []
    current: dict | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            messages.extend(_message(current, body, subject=subject, depth=depth))

    index = 0
    while index < len(lines):
        line = lines[index]
        block = None
        if depth < MAX_DEPTH:
            if MARKERS.match(line):
                block = _headers_at(lines, index + 1)
            elif HEADER.match(line) and HEADER.match(line)[1].lower() == "from":
                block = _headers_at(lines, index)
        if block is not None:
            close()
            current, index = block[0], block[1]
            body = []
            continue
        attribution = _attribution(lines, index) if depth < MAX_DEPTH else None
        if attribution is not None:
            match, after = attribution
            quoted_end = after
            while quoted_end < len(lines) and _quoted_or_blank(lines[quoted_end]):
                quoted_end += 1
            quoted = "\n".join(_unquote(lines[after:quoted_end]))
            name, address = _person(match["who"])
            header = {"from": match["who"], "date": match["date"], "subject": (current or {}).get("subject", subject)}
            inner_own, inner = split_text(quoted, subject=header["subject"], depth=depth + 1)
            quoted_message = ChainMessage(name, address, parse_date(match["date"]), header["subject"], inner_own)
            close()
            current = None
            messages.extend([quoted_message, *inner] if inner_own.strip() else inner)
            index = quoted_end
            continue
        (body if current is not None else own).append(line)
        index += 1
    close()
    return "\n".join(own).strip(), messages[:MAX_CHAIN_MESSAGES]


def _message(headers: dict, body: list[str], *, subject: str, depth: int) -> list[ChainMessage]:
    name, address = _person(headers.get("from", ""))
    date = parse_date(headers.get("sent") or headers.get("date") or "")
    text = "\n".join(body).strip()
    return [ChainMessage(name, address, date, one_line(headers.get("subject") or subject), text)]


class _ChainTextMaker(_TextMaker):
    """HTML as text with the forwarded and quoted emails kept: they are the chain."""

    def _is_quote(self, tag: str, attrs: dict) -> bool:
        return False


def chain_text(message: Message) -> str:
    """The plain-text part, or else the HTML part as text with its quoted emails kept."""
    if any(part.get_content_type() == "text/plain" for part in message.walk()) or not hasattr(message, "get_body"):
        return body_text(message)
    part = message.get_body(preferencelist=("html",))
    if part is None:
        return ""
    maker = _ChainTextMaker()
    maker.feed(part.get_content() if part.get_content_maintype() == "text" else "")
    maker.close()
    text = "\n".join(line.strip() for line in "".join(maker.out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def is_forward(message: Message) -> bool:
    """Forwarded, by its subject ("Fwd:", "FW:") or by emails attached to it."""
    if FORWARD_SUBJECT.match(str(message.get("Subject", ""))):
        return True
    return any(part.get_content_type() == "message/rfc822" for part in message.walk())


def split_message(message: Message) -> list[ChainMessage]:
    """The chain a forwarded email holds, inline and in attached message/rfc822 parts,
    oldest first; the forwarder's own note above it is not part of the chain."""
    return in_reply_order(_held_in(message, depth=0))


def _held_in(message: Message, *, depth: int) -> list[ChainMessage]:
    subject = one_line(str(message.get("Subject", "")))
    _, found = split_text(chain_text(message), subject=subject)
    if depth >= MAX_DEPTH or not hasattr(message, "iter_attachments"):
        return found
    for part in message.iter_attachments():
        if part.get_content_type() != "message/rfc822":
            continue
        inner = part.get_content()
        name, address = _person(str(inner.get("From", "")))
        own, _ = split_text(chain_text(inner))
        date = parse_date(str(inner.get("Date", "")))
        inner_subject = one_line(str(inner.get("Subject", "")))
        found.append(ChainMessage(name, address, date, inner_subject, own))
        found.extend(_held_in(inner, depth=depth + 1))
    return found


def in_reply_order(messages: list[ChainMessage]) -> list[ChainMessage]:
    """Oldest first, each message once (the fullest copy kept). A chain lists its
    newest message first, so without dates the order found is reversed."""
    unique: list[ChainMessage] = []
    for message in messages:
        if not message.words:
            continue
        index = next((i for i, kept in enumerate(unique) if kept.same_as(message)), None)
        if index is None:
            unique.append(message)
        elif (message.address, message.date) != (unique[index].address, unique[index].date):
            kept = unique[index]
            unique[index] = ChainMessage(
                kept.name if kept.address else message.name,
                kept.address or message.address,
                kept.date or message.date,
                kept.subject or message.subject,
                kept.body,
            )
    ordered = list(reversed(unique))
    if all(m.date is not None for m in ordered):
        ordered.sort(key=lambda m: m.date)
    return ordered[:MAX_CHAIN_MESSAGES]
