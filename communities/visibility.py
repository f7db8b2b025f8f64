"""Who may read a thread and a post: the rule written once (THREAD_RULE, POST_RULE), read
as a Q for querysets (`rule.q(viewer)`) and answered in memory for one object
(`rule.holds(obj, viewer)`). How: docs/architecture.md, "One visibility rule, read two ways"."""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple, Protocol

from django.db.models import Q

# forums.models.Post.Status values (forums sits above communities, so they are named here).
PUBLISHED, HELD, HIDDEN, DELETED = "published", "held", "hidden", "deleted"


class ListViewer(NamedTuple):
    """What a queryset needs to know of the viewer: the ids of the communities whose
    content they may read and of those they moderate (communities.models.CommunityAccess),
    and their user id (None for visitors)."""

    readable: frozenset[int]
    moderated: frozenset[int]
    user_id: int | None


class ObjectViewer(Protocol):
    """What one object's check needs to know of the viewer, asked of its community."""

    user_id: int | None

    def reads(self, community) -> bool: ...

    def moderates(self, community) -> bool: ...


class Rule:
    """A condition. `q` gives a Q, or True or False when the viewer alone decides it
    (a visitor is nobody's author; nobody moderates an empty set), so the SQL holds
    only what can differ between rows."""

    def q(self, viewer: ListViewer) -> Q | bool:
        raise NotImplementedError

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        raise NotImplementedError


class Equals(Rule):
    def __init__(self, path: str, value):
        self.path, self.read, self.value = path, attrgetter(path.replace("__", ".")), value

    def q(self, viewer: ListViewer) -> Q:
        return Q(**{self.path: self.value})

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        return self.read(obj) == self.value


class OneOf(Rule):
    def __init__(self, path: str, values: tuple):
        self.path, self.read, self.values = path, attrgetter(path.replace("__", ".")), values

    def q(self, viewer: ListViewer) -> Q:
        return Q(**{f"{self.path}__in": list(self.values)})

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        return self.read(obj) in self.values


class IsViewer(Rule):
    """The field (a user id) is the viewer's own; never for visitors."""

    def __init__(self, path: str):
        self.path, self.read = path, attrgetter(path.replace("__", "."))

    def q(self, viewer: ListViewer) -> Q | bool:
        return False if viewer.user_id is None else Q(**{self.path: viewer.user_id})

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        return viewer.user_id is not None and self.read(obj) == viewer.user_id


class Reads(Rule):
    """The community at `path` is one whose content the viewer may read. Always a Q,
    even for an empty set: the ORM then knows the query finds nothing without asking
    (EmptyResultSet), as search relies on."""

    def __init__(self, path: str):
        self.path, self.read = path, attrgetter(path.replace("__", "."))

    def q(self, viewer: ListViewer) -> Q:
        return Q(**{f"{self.path}_id__in": viewer.readable})

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        return viewer.reads(self.read(obj))


class Moderates(Rule):
    """The community at `path` is one the viewer moderates."""

    def __init__(self, path: str):
        self.path, self.read = path, attrgetter(path.replace("__", "."))

    def q(self, viewer: ListViewer) -> Q | bool:
        return Q(**{f"{self.path}_id__in": viewer.moderated}) if viewer.moderated else False

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        return viewer.moderates(self.read(obj))


class All(Rule):
    def __init__(self, *parts: Rule):
        self.parts = parts

    def q(self, viewer: ListViewer) -> Q | bool:
        result = True
        for part in self.parts:
            condition = part.q(viewer)
            if condition is False:
                return False
            if condition is not True:
                result = condition if result is True else result & condition
        return result

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        for part in self.parts:  # noqa: SIM110 - a loop: a generator costs more on this hot path
            if not part.holds(obj, viewer):
                return False
        return True


class Any(Rule):
    def __init__(self, *parts: Rule):
        self.parts = parts

    def q(self, viewer: ListViewer) -> Q | bool:
        result = False
        for part in self.parts:
            condition = part.q(viewer)
            if condition is True:
                return True
            if condition is not False:
                result = condition if result is False else result | condition
        return result

    def holds(self, obj, viewer: ObjectViewer) -> bool:
        for part in self.parts:  # noqa: SIM110 - a loop: a generator costs more on this hot path
            if part.holds(obj, viewer):
                return True
        return False


def thread_rule(via: str = "") -> Rule:
    """A thread is read in a community the viewer may read; a hidden one, or an
    archive import not yet published, only by that community's moderators. `via`: the
    path to the thread ("thread__" from a post)."""
    return All(
        Reads(f"{via}community"),
        Any(
            All(Equals(f"{via}is_hidden", False), Equals(f"{via}is_unpublished", False)),
            Moderates(f"{via}community"),
        ),
    )


THREAD_RULE = thread_rule()
# A post is read in a thread the viewer may read: published and deleted ones (the
# latter as a placeholder) by everyone there; held and hidden ones by moderators; a
# held one also by its author.
POST_RULE = All(
    thread_rule(via="thread__"),
    Any(
        OneOf("status", (PUBLISHED, DELETED)),
        Moderates("thread__community"),
        All(Equals("status", HELD), IsViewer("author_id")),
    ),
)


def as_filter(rule: Rule, viewer: ListViewer) -> Q:
    """`rule` as a Q for QuerySet.filter (one that matches nothing if no row can pass)."""
    condition = rule.q(viewer)
    if condition is True:
        return Q()
    if condition is False:
        return Q(pk__in=[])
    return condition
