"""Changing a community's settings, access and archived state: each change is checked
(communities.permissions), saved, and announced through community_changed inside the
transaction, so moderation logs it. Narrowing access needs nothing more: every page,
feed and email asks the permission rules when it is built."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q

from communities import permissions
from communities.events import community_changed
from communities.models import Community
from core.markdown import render_markdown

Visibility = Community.Visibility
# Narrowest first: moving right widens who can read.
VISIBILITY_ORDER = [Visibility.PRIVATE, Visibility.MEMBERS_ONLY, Visibility.PUBLIC]
READERS = {
    Visibility.PUBLIC: "anyone, signed in or not",
    Visibility.MEMBERS_ONLY: "any signed-in CommsNet member",
    Visibility.PRIVATE: "members of this community only",
}
MARKDOWN_FIELDS = {"description", "guidelines", "welcome_message"}
LABELS = {
    "description": "Description",
    "guidelines": "Guidelines",
    "topics": "Topics",
    "welcome_message": "Welcome message",
    "posting_address_enabled": "Posting address",
    "announcements_by": "Who can start announcements",
    "visibility": "Who can read it",
    "join_policy": "How people join",
    "status": "Status",
}
SETTINGS = ["description", "guidelines", "topics", "welcome_message", "posting_address_enabled", "announcements_by"]


class SettingsError(Exception):
    """A change the community's state does not allow; the message is shown."""


def _readable(name: str, value) -> str:
    """A setting's value as people read it in the moderation log."""
    if name == "topics":
        return ", ".join(value) or "none"
    if name == "posting_address_enabled":
        return "on" if value else "off"
    choices = {
        "announcements_by": Community.Announcers,
        "visibility": Community.Visibility,
        "join_policy": Community.JoinPolicy,
    }
    if name in choices:
        return str(choices[name](value).label)
    return value or "(empty)"


def _lock(community: Community) -> Community:
    return Community.objects.select_for_update().get(pk=community.pk)


def _announce(community: Community, actor, change: str, name: str, before, after) -> None:
    community_changed.send(
        sender=Community,
        community=community,
        actor=actor,
        change=change,
        what=LABELS[name],
        before=_readable(name, before),
        after=_readable(name, after),
    )


def topic_names(community: Community) -> list[str]:
    return sorted(community.topics.names(), key=str.lower)


@transaction.atomic
def community_settings_update(*, community: Community, actor, **values) -> list[str]:
    """Save the settings that changed (description, guidelines, topics, welcome_message,
    posting_address_enabled, announcements_by); returns their labels."""
    if not permissions.can_change_settings(actor, community):
        raise PermissionDenied
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise TypeError(f"Not a setting: {', '.join(sorted(unknown))}")
    locked = _lock(community)
    changed, fields = [], []
    for name, after in values.items():
        before = topic_names(locked) if name == "topics" else getattr(locked, name)
        if name == "topics":
            if [t.lower() for t in before] == sorted(t.lower() for t in after):
                continue
            locked.topics.set(after, clear=True)
        else:
            if before == after:
                continue
            setattr(locked, name, after)
            fields.append(name)
            if name in MARKDOWN_FIELDS:
                setattr(locked, f"{name}_html", render_markdown(after))
                fields.append(f"{name}_html")
        changed.append(LABELS[name])
        _announce(locked, actor, "setting", name, before, after)
    if fields:
        locked.save(update_fields=fields)
    return changed


@dataclass(frozen=True)
class Widening:
    """What becomes readable, and by whom, when visibility widens."""

    threads: int
    posts: int
    readers: str


def widening(community: Community, visibility: str) -> Widening | None:
    """The threads and posts that `visibility` would let more people read; None when
    it does not widen. Counts what non-facilitators can read: threads not hidden,
    and their published posts (one query)."""
    if VISIBILITY_ORDER.index(visibility) <= VISIBILITY_ORDER.index(community.visibility):
        return None
    counts = community.threads.filter(is_hidden=False).aggregate(
        threads=Count("pk", distinct=True),
        # The value of forums.Post.Status.PUBLISHED: communities sits below forums.
        posts=Count("posts", filter=Q(posts__status="published")),
    )
    return Widening(counts["threads"], counts["posts"], READERS[visibility])


@transaction.atomic
def community_access_update(
    *, community: Community, actor, visibility: str, join_policy: str, confirmed: bool = False
) -> list[str]:
    """Owners change who can read and how people join. Widening visibility must be
    confirmed (the page shows `widening` first); narrowing applies at once."""
    if not permissions.can_change_access(actor, community):
        raise PermissionDenied
    if visibility not in Visibility.values or join_policy not in Community.JoinPolicy.values:
        raise SettingsError("Choose who can read the community and how people join.")
    locked = _lock(community)
    if widening(locked, visibility) is not None and not confirmed:
        raise SettingsError("Confirm that more people may read this community's discussions.")
    changed, fields = [], []
    for name, after in (("visibility", visibility), ("join_policy", join_policy)):
        before = getattr(locked, name)
        if before == after:
            continue
        setattr(locked, name, after)
        fields.append(name)
        changed.append(LABELS[name])
        _announce(locked, actor, "setting", name, before, after)
    if fields:
        locked.save(update_fields=fields)
    return changed


def _set_status(*, community: Community, actor, status: str, change: str) -> Community:
    if not permissions.can_change_access(actor, community):
        raise PermissionDenied
    locked = _lock(community)
    wanted_from = Community.Status.ACTIVE if status == Community.Status.ARCHIVED else Community.Status.ARCHIVED
    if locked.status != wanted_from:
        state = "archived" if locked.status == Community.Status.ARCHIVED else "not archived"
        raise SettingsError(f"{locked.name} is already {state}.")
    before = locked.get_status_display()
    locked.status = status
    locked.save(update_fields=["status"])
    _announce(locked, actor, change, "status", before, locked.get_status_display())
    return locked


@transaction.atomic
def community_archive(*, community: Community, actor) -> Community:
    """Read-only from now on: no posts, replies, joining or email in (the rules check
    the status); shown as archived and left out of suggestions."""
    return _set_status(community=community, actor=actor, status=Community.Status.ARCHIVED, change="archive")


@transaction.atomic
def community_unarchive(*, community: Community, actor) -> Community:
    return _set_status(community=community, actor=actor, status=Community.Status.ACTIVE, change="unarchive")
