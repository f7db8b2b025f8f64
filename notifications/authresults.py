"""Who really sent an inbound message: the Authentication-Results headers (RFC 8601)
our own receiving server added, and whether a pass is aligned with From. Which
headers count and what aligns: README, "Email in: who sent it"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parseaddr

from django.conf import settings

KEYWORD = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
# RFC 8601 "value" is a token or a quoted-string; a property value may also be an address.
TOKEN = re.compile(r"^[^\s()<>@,;:\\\"/\[\]?=]+$")
PVALUE = re.compile(r"^[^\s()<>,;\\\"\[\]]*$")
PROPERTY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
# method=result [reason=value] [ptype.property=value ...], each separated by spaces.
PAIR = re.compile(r'^(?P<key>[A-Za-z0-9._/-]+)\s*=\s*(?P<value>"(?:[^"\\]|\\.)*"|[^\s"]+)')
# What a receiving server adds above its own Authentication-Results as it delivers.
TRACE_HEADERS = {"received", "received-spf", "return-path", "delivered-to", "x-original-to", "envelope-to"}


class Malformed(ValueError):
    """The header does not follow RFC 8601; it is ignored as a whole."""


@dataclass(frozen=True)
class Result:
    method: str
    result: str
    properties: dict[str, str] = field(default_factory=dict)


def _strip_comments(text: str) -> str:
    """Remove (nested) comments, keeping quoted strings intact; a space stands in for each."""
    out, depth, quoted, escaped = [], 0, False, False
    for char in text:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\" and (quoted or depth):
            escaped = True
            if depth == 0:
                out.append(char)
            continue
        if quoted:
            quoted = char != '"'
            out.append(char)
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                raise Malformed("unbalanced comment")
            depth -= 1
            if depth == 0:
                out.append(" ")
        elif depth == 0:
            quoted = char == '"'
            out.append(char)
    if depth or quoted or escaped:
        raise Malformed("unterminated comment or quoted string")
    return "".join(out)


def _split(text: str) -> list[str]:
    """Split on semicolons outside quoted strings."""
    parts, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts]


def _unquote(value: str) -> str:
    if value.startswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _resinfo(text: str) -> Result:
    pairs = []
    rest = text.strip()
    while rest:
        match = PAIR.match(rest)
        if not match:
            raise Malformed(f"not a key=value pair: {rest[:40]!r}")
        pairs.append((match["key"], match["value"]))
        rest = rest[match.end() :].lstrip()
    if not pairs:
        raise Malformed("empty result")
    (method, result), *others = pairs
    method = method.split("/")[0].lower()  # "dkim/1" names a method version
    if not KEYWORD.match(method) or not KEYWORD.match(result):
        raise Malformed("bad method or result")
    properties = {}
    for key, value in others:
        if key.lower() == "reason":
            continue
        # Any well-formed ptype.property is accepted (RFC 8904 added "dns"); we read
        # only smtp.mailfrom, header.from, header.d and header.i.
        ptype, dot, name = key.partition(".")
        if not dot or not KEYWORD.match(ptype) or not PROPERTY.match(name):
            raise Malformed(f"bad property {key!r}")
        value = _unquote(value)
        if not PVALUE.match(value):
            raise Malformed(f"bad property value {value!r}")
        properties[key.lower()] = value
    return Result(method, result.lower(), properties)


def parse(header: str) -> tuple[str, list[Result]]:
    """(authserv-id, results) of one Authentication-Results header; raises Malformed."""
    parts = _split(_strip_comments(" ".join(str(header).split())))
    head = parts[0].split()
    if not head or len(head) > 2 or (len(head) == 2 and not head[1].isdigit()):
        raise Malformed("bad authserv-id")
    authserv_id = _unquote(head[0])
    if not TOKEN.match(authserv_id.replace("@", "")):
        raise Malformed("bad authserv-id")
    results = parts[1:]
    if len(results) > 1 and results[-1] == "":
        results.pop()  # a trailing semicolon, as some servers write: harmless
    if results == ["none"] or not results:
        return authserv_id.lower(), []
    return authserv_id.lower(), [_resinfo(part) for part in results]


def trusted_results(message: Message) -> dict[str, list[Result]]:
    """Results from our own server's topmost Authentication-Results headers, by method
    (a message may carry several DKIM signatures: each has its result)."""
    ours = {value.lower() for value in settings.INBOUND_AUTHSERV_IDS}
    found: dict[str, list[Result]] = {}
    started = False
    for name, value in message.items():
        name = name.lower()
        if name != "authentication-results":
            # The run is contiguous, and only trace headers may stand above it:
            # anything below other headers may be the sender's own.
            if started or not (name in TRACE_HEADERS or name.startswith("x-")):
                break
            continue
        started = True
        try:
            authserv_id, results = parse(value)
        except Malformed:
            break
        if authserv_id not in ours:
            break
        in_this_header: dict[str, list[Result]] = {}
        for result in results:
            in_this_header.setdefault(result.method, []).append(result)
        for method, listed in in_this_header.items():
            found.setdefault(method, listed)
    return found


def _domain(value: str) -> str:
    return value.rpartition("@")[2].strip().rstrip(".").lower()


def aligned(authenticated: str, from_domain: str) -> bool:
    authenticated = _domain(authenticated)
    return bool(from_domain) and (authenticated == from_domain or authenticated.endswith("." + from_domain))


def from_domain(message: Message) -> str:
    return _domain(parseaddr(str(message.get("From", "")))[1])


PASS, FAIL, NONE = "pass", "fail", "none"


def verdict(message: Message) -> str:
    """PASS: DMARC pass for the From domain, or an SPF or DKIM pass aligned with it.
    FAIL: our server found the From domain's DMARC policy failed. NONE: neither."""
    domain = from_domain(message)
    results = trusted_results(message)
    if not domain:
        return NONE
    dmarc = [r for r in results.get("dmarc", []) if _domain(r.properties.get("header.from", "")) == domain]
    if any(r.result == "fail" for r in dmarc):
        return FAIL  # the From domain's own policy failed: nothing overrides that
    if any(r.result == "pass" for r in dmarc):
        return PASS
    for spf in results.get("spf", []):
        if spf.result == "pass" and aligned(spf.properties.get("smtp.mailfrom", ""), domain):
            return PASS
    for dkim in results.get("dkim", []):
        signer = dkim.properties.get("header.d", "") or dkim.properties.get("header.i", "")
        if dkim.result == "pass" and aligned(signer, domain):
            return PASS
    return NONE


def sender_authenticated(message: Message) -> bool:
    return verdict(message) == PASS
