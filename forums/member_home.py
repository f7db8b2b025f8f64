"""Reads for a member's home page (forums.home_views): four plain SQL statements, each
filtered by the one visibility rule compiled to SQL once per request (`_visible`).
Why plain SQL: docs/architecture.md, "The home page"."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils import timezone

from communities.models import Community, Membership, community_access
from core.fast_reverse import reverse_args
from core.request_memo import memoised
from forums.listings import ListedThread
from forums.models import Post, Thread

NEW_ROWS = 20
WAITING_ROWS = 10
OWN_ROWS = 5
ANNOUNCEMENTS = 3
# "New" and "waiting" look this far back: an older unread thread is history, not news,
# and the bound keeps each statement to recent rows however large the site grows.
RECENT = timedelta(days=30)
KIND_NAMES = dict(Thread.Kind.choices)
# The visibility condition when the member may read nothing: no statement need run.
NOTHING = "FALSE"


class MyCommunity(NamedTuple):
    """A row of "Your communities"."""

    pk: int
    name: str
    slug: str
    last_activity_at: datetime
    is_moderator_here: bool
    pending_requests: int
    unread: int = 0

    @property
    def url(self) -> str:
        return reverse_args("community_home", self.slug)


class ShortThread(NamedTuple):
    """A thread as "Your questions" and the announcement banners show it."""

    pk: int
    slug: str
    title: str
    kind: str
    reply_count: int
    accepted_answer_id: int | None
    last_activity_at: datetime
    created_at: datetime
    community_name: str

    @property
    def url(self) -> str:
        return reverse_args("thread_detail", self.pk, self.slug)

    @property
    def is_answered(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def kind_display(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)


class MemberHome(NamedTuple):
    communities: list[MyCommunity]
    new: list[ListedThread]
    waiting: list[ListedThread]
    own: list[ShortThread]
    announcements: list[ShortThread]


def _visible(user) -> tuple[str, list]:
    """The thread visibility rule as a SQL condition on "forums_thread", compiled by the
    ORM from Thread.objects.visible_to(user): written once, used by every statement."""

    def compile_rule() -> tuple[str, list]:
        query = Thread.objects.visible_to(user).query
        try:
            sql, params = query.get_compiler(DEFAULT_DB_ALIAS).compile(query.where)
        except FullResultSet:  # a site admin reads everything
            return "TRUE", []
        except EmptyResultSet:  # nothing readable
            return NOTHING, []
        return sql, list(params)

    return memoised(("visible_threads_sql", user.pk), compile_rule)


def _with_rule(sql: str, visible: str) -> str:
    """The statement with the visibility condition where it says {visible}."""
    return sql.replace("{visible}", visible)


MEMBERSHIPS_SQL = """
SELECT c.id, c.name, c.slug, c.last_activity_at, m.role = ANY(%(moderator_roles)s),
       CASE WHEN m.role = ANY(%(moderator_roles)s) THEN (
           SELECT count(*) FROM communities_membership p WHERE p.community_id = c.id AND p.status = %(pending)s
       ) ELSE 0 END
FROM communities_membership m JOIN communities_community c ON c.id = m.community_id
WHERE m.user_id = %(user)s AND m.status = %(active)s
ORDER BY c.name
"""


def my_communities(user) -> list[MyCommunity]:
    """The communities the member belongs to (active membership) and may read, by name,
    with the requests to join waiting where they moderate: one statement (none when they
    may read no community at all)."""
    readable = community_access(user).readable
    if readable is not None and not readable:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            MEMBERSHIPS_SQL,
            {
                "user": user.pk,
                "active": Membership.Status.ACTIVE,
                "pending": Membership.Status.PENDING,
                "moderator_roles": list(Membership.MODERATOR_ROLES),
            },
        )
        rows = cursor.fetchall()
    return [MyCommunity(*row) for row in rows if readable is None or row[0] in readable]


# Each statement below takes the visibility rule's condition and its parameters where it
# says {visible}; every other value is a positional parameter too, in the order written.

# The threads of the member's communities with activity they have not read: counted per
# community for "Your communities", and the newest listed for "New since your last visit".
UNREAD_SQL = """
WITH unread AS MATERIALIZED (
    SELECT forums_thread.id, forums_thread.community_id, forums_thread.content_version,
           forums_thread.last_activity_at
    FROM forums_thread
    LEFT JOIN forums_threadreadstate seen ON seen.thread_id = forums_thread.id AND seen.user_id = %s
    WHERE forums_thread.community_id = ANY(%s) AND forums_thread.last_activity_at >= %s AND ({visible})
      AND (seen.last_read_at IS NULL OR seen.last_read_at < forums_thread.last_activity_at)
)
(SELECT 'count', community_id, count(*), NULL::bigint, NULL::timestamptz FROM unread GROUP BY community_id)
UNION ALL
(SELECT 'new', unread.id, unread.content_version, c.content_version, unread.last_activity_at
 FROM unread JOIN communities_community c ON c.id = unread.community_id
 ORDER BY unread.last_activity_at DESC, unread.id DESC LIMIT %s)
"""

# Others' open questions from the last RECENT nobody but the asker has replied to, those
# tagged with the member's expertise or a tag they follow first, then the longest waiting.
# The tagged threads are one set: matched per thread, the generic relation's integer
# object_id against the bigint thread id would scan every tagging.
WAITING_SQL = """
SELECT forums_thread.id, forums_thread.content_version, c.content_version, forums_thread.last_activity_at
FROM forums_thread JOIN communities_community c ON c.id = forums_thread.community_id
WHERE forums_thread.community_id = ANY(%s) AND ({visible})
  AND c.status = %s AND forums_thread.kind = %s AND forums_thread.accepted_answer_id IS NULL
  AND NOT forums_thread.is_locked AND NOT forums_thread.is_hidden AND forums_thread.created_at >= %s
  AND forums_thread.author_id IS DISTINCT FROM %s
  AND NOT EXISTS (
      SELECT 1 FROM forums_post reply
      WHERE reply.thread_id = forums_thread.id AND reply.parent_id IS NOT NULL AND reply.status = %s
        AND NOT (reply.author_id = forums_thread.author_id AND reply.author_id IS NOT NULL)
  )
ORDER BY forums_thread.id IN (
    SELECT tagged.object_id FROM taggit_taggeditem tagged
    WHERE tagged.content_type_id = %s AND tagged.tag_id IN (
        SELECT tag_id FROM forums_tagfollow WHERE user_id = %s
        UNION
        SELECT tag.id FROM taggit_tag tag JOIN members_expertise expertise ON expertise.slug = tag.slug
        JOIN members_taggedexpertise mine ON mine.tag_id = expertise.id AND mine.content_object_id = %s
    )
) DESC, forums_thread.created_at, forums_thread.id
LIMIT %s
"""

SHORT_THREAD_COLUMNS = """forums_thread.id, forums_thread.slug, forums_thread.title, forums_thread.kind,
    forums_thread.reply_count, forums_thread.accepted_answer_id, forums_thread.last_activity_at,
    forums_thread.created_at, c.name"""

# "Your questions" (the member's most recently active threads) and the announcements
# of their communities they have neither read nor dismissed, in one statement.
SHORT_THREADS_SQL = f"""
(SELECT 'own', {SHORT_THREAD_COLUMNS}
 FROM forums_thread JOIN communities_community c ON c.id = forums_thread.community_id
 WHERE forums_thread.author_id = %s AND ({{visible}})
 ORDER BY forums_thread.last_activity_at DESC, forums_thread.id DESC LIMIT %s)
UNION ALL
(SELECT 'announcement', {SHORT_THREAD_COLUMNS}
 FROM forums_thread JOIN communities_community c ON c.id = forums_thread.community_id
 WHERE forums_thread.community_id = ANY(%s) AND ({{visible}})
   AND forums_thread.kind = %s AND NOT forums_thread.is_hidden AND forums_thread.created_at >= %s
   AND NOT EXISTS (SELECT 1 FROM forums_threadreadstate seen
                   WHERE seen.user_id = %s AND seen.thread_id = forums_thread.id)
   AND NOT EXISTS (SELECT 1 FROM forums_announcementdismissal put_away
                   WHERE put_away.user_id = %s AND put_away.thread_id = forums_thread.id)
 ORDER BY forums_thread.created_at DESC, forums_thread.id DESC LIMIT %s)
"""  # noqa: S608 - column names written here, values as parameters


def _short_threads(user, community_ids: list[int], since: datetime) -> list[tuple[str, ShortThread]]:
    visible, rule = _visible(user)
    if visible == NOTHING:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _with_rule(SHORT_THREADS_SQL, visible),
            [user.pk, *rule, OWN_ROWS,
             community_ids, *rule, Thread.Kind.ANNOUNCEMENT, since, user.pk, user.pk, ANNOUNCEMENTS],
        )  # fmt: skip
        return [(kind, ShortThread(*row)) for kind, *row in cursor.fetchall()]


def own_threads(user) -> list[ShortThread]:
    """ "Your questions" alone, for a member who belongs to no community yet."""
    return [row for kind, row in _short_threads(user, [], timezone.now()) if kind == "own"]


def member_home(user, communities: list[MyCommunity]) -> MemberHome:
    """Every other section of the home page of a member of `communities`: three statements."""
    ids = [community.pk for community in communities]
    since = timezone.now() - RECENT
    visible, rule = _visible(user)
    with connection.cursor() as cursor:
        cursor.execute(_with_rule(UNREAD_SQL, visible), [user.pk, ids, since, *rule, NEW_ROWS])
        unread, new = {}, []
        for kind, pk, version, community_version, last_activity_at in cursor.fetchall():
            if kind == "count":
                unread[pk] = version
            else:
                new.append(ListedThread(pk, version, community_version, last_activity_at))
        cursor.execute(
            _with_rule(WAITING_SQL, visible),
            [ids, *rule, Community.Status.ACTIVE, Thread.Kind.QUESTION, since, user.pk, Post.Status.PUBLISHED,
             ContentType.objects.get_for_model(Thread).pk, user.pk, user.pk, WAITING_ROWS],
        )  # fmt: skip
        waiting = [ListedThread(*row) for row in cursor.fetchall()]
    short = _short_threads(user, ids, since)
    return MemberHome(
        communities=[community._replace(unread=unread.get(community.pk, 0)) for community in communities],
        new=new,
        waiting=waiting,
        own=[row for kind, row in short if kind == "own"],
        announcements=[row for kind, row in short if kind == "announcement"],
    )
