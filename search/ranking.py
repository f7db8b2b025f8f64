"""The candidates of a search and their scores: which matching posts are ranked
(see CANDIDATE_LIMIT and RECENT_WINDOW), scored in SQL, and which are left out.
engine.SearchResults ranks them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Subquery

from forums.models import Post, Thread
from search.query import CONFIG, SearchFilters, filtered, parse_query, searchable_posts

# How many of the newest matching posts (and titles) are ranked for one query.
CANDIDATE_LIMIT = 250
# Where the newest matching posts are looked for first: the newest RECENT_WINDOW posts
# (see _CANDIDATES_SQL).
RECENT_WINDOW = 50_000
# Where a candidate row came from. One row more than CANDIDATE_LIMIT is asked of the
# posts: if it comes back, there were more matches than are ranked.
FROM_POSTS, FROM_TITLES = 0, 1
# Recency boost (see _SCORE): up to +25% for today's activity, halving by about a month old.
RECENCY_WEIGHT = 0.25
RECENCY_SCALE_SECONDS = 30 * 24 * 3600
ANSWERED_BOOST = 1.1


def matching_candidates(user, *, query: str, filters: SearchFilters) -> Callable[[], list[tuple]]:
    """What reads the (score, post, thread, source) candidate rows of `query` among
    what `user` may read, narrowed by `filters` (see _CANDIDATES_SQL)."""
    tsquery = parse_query(query)
    matching_posts = filtered(searchable_posts(user).filter(search_vector=tsquery), filters, thread="thread__")
    matching_threads = filtered(
        Thread.objects.visible_to(user).filter(search_vector=tsquery), filters, thread=""
    ).order_by("-pk")[:CANDIDATE_LIMIT]
    # A thread matching by title is shown by its opening post (unless a word the query
    # excludes is in it): the first in tree order, which the post_tree_idx index finds
    # in one step. A published post in a thread from visible_to(user) is one
    # Post.visible_to(user) includes; saying so directly spares the planner a second
    # pass over every thread.
    first_in_tree = Post.objects.filter(thread=OuterRef("pk")).order_by("sort_path").values("pk")[:1]
    openings = Post.objects.filter(
        pk__in=matching_threads.values(opening=Subquery(first_in_tree)),
        parent__isnull=True,
        status=Post.Status.PUBLISHED,
        search_vector=tsquery,
    )
    return lambda: _candidates(_scored_columns(matching_posts), _scored_columns(openings), query)


def ranked_candidates(rows: list[tuple]) -> tuple[list[tuple[float, int, int]], bool]:
    """The (score, post, thread) rows to rank from the candidate rows, and whether the
    posts were cut short. The one post more asked for is left out: it only says that
    there were more (the oldest of them, as the posts come newest first). A post from
    both sources is ranked once per source; grouping by thread makes that one."""
    posts = [pk for _score, pk, _thread, source in rows if source == FROM_POSTS]
    extra_post = min(posts) if len(posts) > CANDIDATE_LIMIT else None
    ranked = [
        (score, pk, thread_id)
        for score, pk, thread_id, source in rows
        if not (source == FROM_POSTS and pk == extra_post)
    ]
    return ranked, extra_post is not None


def _scored_columns(posts: QuerySet) -> QuerySet:
    """What scoring a candidate post needs (see _SCORE), under the names it uses."""
    return posts.values(
        "pk",
        "thread_id",
        "search_vector",
        last_activity_at=F("thread__last_activity_at"),
        accepted_answer_id=F("thread__accepted_answer_id"),
    )


# Relevance (ts_rank over the post's vector: its thread's title and its body), times
# the recency boost (1 + w / (1 + age / scale): up to +25% for today's activity,
# halving by about a month old), times a small boost for an answered thread.
_SCORE = (
    "ts_rank(search_vector, websearch_to_tsquery(%s::regconfig, %s))"
    f" * (1.0 + {RECENCY_WEIGHT} / (1.0 + GREATEST(EXTRACT(EPOCH FROM (NOW() - last_activity_at)), 0)"
    f" / {RECENCY_SCALE_SECONDS}))"
    f" * CASE WHEN accepted_answer_id IS NOT NULL THEN {ANSWERED_BOOST} ELSE 1.0 END"
)
# The candidates of a search: the newest matching posts (looked for first in a window of
# the newest posts) and the openings of threads whose titles match; docs/search.md says why.
_CANDIDATES_SQL = """
WITH recent AS MATERIALIZED (
    SELECT * FROM ({posts}) AS post WHERE post.pk > %s
    ORDER BY post.pk DESC LIMIT %s
), newest AS MATERIALIZED (
    SELECT * FROM recent WHERE (SELECT count(*) FROM recent) = %s
    UNION ALL
    SELECT * FROM (
        SELECT * FROM ({posts}) AS post ORDER BY post.pk + 0 DESC LIMIT %s
    ) AS everywhere WHERE (SELECT count(*) FROM recent) < %s
)
SELECT {score}, pk, thread_id, %s FROM newest
UNION ALL
SELECT {score}, pk, thread_id, %s FROM ({openings}) AS opening
"""


def _candidates(posts: QuerySet, openings: QuerySet, query: str) -> list[tuple]:
    """The (score, post, thread, source) rows of _CANDIDATES_SQL for `posts` (the
    matching posts) and `openings` (the opening posts of threads matching by title)."""
    try:
        posts_sql, posts_params = posts.query.sql_with_params()
        openings_sql, openings_params = openings.query.sql_with_params()
    except EmptyResultSet:  # there is no community whose posts the user may read
        return []
    sql = _CANDIDATES_SQL.format(posts=posts_sql, openings=openings_sql, score=_SCORE)
    asked = CANDIDATE_LIMIT + 1  # the one more says whether there were more
    scored = [CONFIG, query]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {Post._meta.db_table}")  # noqa: S608 - the model's own table
        window_starts_after = (cursor.fetchone()[0] or 0) - RECENT_WINDOW
        cursor.execute(
            sql,
            [
                *posts_params, window_starts_after, asked,
                asked,
                *posts_params, asked, asked,
                *scored, FROM_POSTS,
                *scored, FROM_TITLES, *openings_params,
            ],
        )  # fmt: skip
        return cursor.fetchall()
