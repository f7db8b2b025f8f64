"""Conversations from a pile of archived messages, the way mail clients find them:
Jamie Zawinski's threading algorithm (https://www.jwz.org/doc/threading.html) by
Message-ID, In-Reply-To and References, then the normalised subject within a time
window for replies whose headers were lost. Works on small summaries (ids, subject,
date), never on bodies, so an archive of any size threads in little memory."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from notifications.inbound_reading import SUBJECT_PREFIX

# Replies that lost their References join a conversation on the same subject whose
# latest message is at most this old; later ones start a new thread.
SUBJECT_WINDOW = timedelta(days=30)
MESSAGE_ID = re.compile(r"<[^<>\s]{1,498}>")
REPLY_PREFIX = re.compile(r"^\s*(\[[^\]]{1,100}\]\s*)*(re|aw|sv|fw|fwd)\s*:", re.I)
EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class Summary:
    """What threading needs of one message; `key` finds the message again in the archive."""

    key: object
    number: int
    message_id: str
    references: list[str]
    subject: str
    date: datetime | None

    @property
    def subject_key(self) -> str:
        return " ".join(SUBJECT_PREFIX.sub("", self.subject).split()).lower()

    @property
    def is_reply(self) -> bool:
        return bool(REPLY_PREFIX.match(self.subject))


@dataclass(eq=False)
class Container:
    message_id: str
    summary: Summary | None = None
    parent: Container | None = None
    children: list[Container] = field(default_factory=list)

    @property
    def date(self) -> datetime:
        return (self.summary.date if self.summary else None) or EARLIEST

    def latest(self) -> datetime:
        return max([self.date, *(child.latest() for child in self.children)])

    def is_ancestor_of(self, other: Container) -> bool:
        node = other
        while node is not None:
            if node is self:
                return True
            node = node.parent
        return False


def references_of(references: str, in_reply_to: str) -> list[str]:
    """Message-IDs this message answers, oldest first; In-Reply-To last when References lost it."""
    found = MESSAGE_ID.findall(references or "")
    replying_to = MESSAGE_ID.findall(in_reply_to or "")
    if replying_to and (not found or found[-1] != replying_to[0]):
        found.append(replying_to[0])
    return list(dict.fromkeys(found))


def _link(parent: Container, child: Container) -> None:
    if child.parent is not None:
        child.parent.children.remove(child)
    child.parent = parent
    parent.children.append(child)


def _unlink(child: Container) -> None:
    if child.parent is not None:
        child.parent.children.remove(child)
        child.parent = None


def _prune(container: Container) -> list[Container]:
    """The container, or its children in its place when it is a message we never saw."""
    kept = []
    for child in list(container.children):
        kept.extend(_prune(child))
    container.children = kept
    for child in kept:
        child.parent = container
    if container.summary is None:
        return kept
    return [container]


def _by_date(containers: list[Container]) -> list[Container]:
    return sorted(containers, key=lambda c: (c.date, c.summary.number if c.summary else 0))


def thread_messages(summaries, *, window: timedelta = SUBJECT_WINDOW) -> tuple[list[Container], list[Summary]]:
    """(conversations, duplicates): each conversation's root container with its replies
    nested under what they answer, oldest first; and messages whose Message-ID came
    earlier in the same archive."""
    table: dict[str, Container] = {}
    duplicates: list[Summary] = []

    def get(message_id: str) -> Container:
        if message_id not in table:
            table[message_id] = Container(message_id)
        return table[message_id]

    for summary in summaries:
        container = get(summary.message_id)
        if container.summary is not None:
            duplicates.append(summary)
            continue
        container.summary = summary
        refs = [get(ref) for ref in summary.references if ref != summary.message_id]
        # Each reference is the parent of the next, unless a link is already known.
        for parent, child in zip(refs, refs[1:], strict=False):
            if child.parent is None and parent is not child and not child.is_ancestor_of(parent):
                _link(parent, child)
        # The message's own headers are the best word on its parent.
        if refs and not container.is_ancestor_of(refs[-1]):
            _link(refs[-1], container)
        elif not refs:
            _unlink(container)

    roots: list[Container] = []
    for container in [c for c in table.values() if c.parent is None]:
        kept = _by_date(_prune(container))
        if len(kept) > 1:
            # A conversation whose first message is missing: its earliest reply opens it.
            first, *rest = kept
            for other in rest:
                _link(first, other)
            kept = [first]
        for root in kept:
            root.parent = None
        roots.extend(kept)
    roots = _group_by_subject(_by_date(roots), window)
    _sort_tree(roots)
    return roots, duplicates


def _group_by_subject(roots: list[Container], window: timedelta) -> list[Container]:
    """A reply ("Re: …") that starts a conversation of its own lost its headers: it
    joins the latest conversation on the same subject that is recent enough."""
    kept: list[Container] = []
    latest_by_subject: dict[str, tuple[Container, datetime]] = {}
    for root in roots:
        key = root.summary.subject_key
        found = latest_by_subject.get(key) if key else None
        if found and root.summary.is_reply and root.date - found[1] <= window:
            _link(found[0], root)
            latest_by_subject[key] = (found[0], max(found[1], root.latest()))
            continue
        kept.append(root)
        if key:
            latest_by_subject[key] = (root, root.latest())
    return kept


def _sort_tree(containers: list[Container]) -> None:
    stack = list(containers)
    while stack:
        node = stack.pop()
        node.children = _by_date(node.children)
        stack.extend(node.children)


def walk(root: Container):
    """(container, parent container) in tree order: parents before their replies."""
    stack = [(root, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(node.children))
