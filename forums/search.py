"""Full-text search over what a person may read: the one search function every
search surface calls (the search page, a community's own box, similar-thread
suggestions while asking).

PostgreSQL does the work: threads and posts carry stored tsvectors with GIN
indexes, queries use web-search syntax through websearch_to_tsquery, and every
candidate comes from `visible_to(user)`. A post's vector holds its thread's title
(weight A) and its own body (weight B), so a post is matched as one document: a
query's words may sit in either, and a word excluded in either leaves it out.

Relevance is ts_rank over that vector, so a title match (A) outranks a passing
mention in a body (B); it is then multiplied by a modest boost for recent activity
and a small one for answered threads. Results are grouped by thread: each row is
the best-matching post of one thread.

Bounded work: a page costs at most three queries whatever the number of results (see
SearchResults), and a very common query can match a large share of all posts, and
ranking every one of them would make the page slow for everyone. So ranking runs
over the newest CANDIDATE_LIMIT matching posts, plus the opening posts of the
newest CANDIDATE_LIMIT threads whose titles match (so a busy thread's many replies
cannot push older questions asked in the very words out of the ranking); a rarer
query (nearly all real ones) is ranked over every match. Every match is a post, so
when the posts were cut short the results say so (`is_cut_short`): there may be
more threads than the number ranked.

Without words, a search lists what one member wrote (the "Written by" filter, which
must then be given): the threads of their newest WRITTEN_BY_LIMIT posts, each by
their newest post in it, newest first, read through their own index
(post_author_idx), with the opening words of the post as its snippet.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, FloatField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Extract
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from communities.models import Community
from forums.models import Post, Thread

CONFIG = "english"
# How many of the newest matching posts (and titles) are ranked for one query.
CANDIDATE_LIMIT = 250
# Where the newest matching posts are looked for first: the newest RECENT_WINDOW posts
# (see _CANDIDATES_SQL).
RECENT_WINDOW = 50_000
# How many of one member's newest posts "Written by" alone reads (one more says there were more).
WRITTEN_BY_LIMIT = 500
# Where a candidate row came from. One row more than CANDIDATE_LIMIT is asked of the
# posts: if it comes back, there were more matches than are ranked.
FROM_POSTS, FROM_TITLES = 0, 1
# Unlikely characters that ts_headline wraps around matches; the snippet is escaped
# as plain text and only then are balanced pairs turned into <mark> elements.
MARK_START = "\x02"
MARK_STOP = "\x03"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
# Recency boost (see _SCORE): up to +25% for today's activity, halving by about a month old.
RECENCY_WEIGHT = 0.25
RECENCY_SCALE_SECONDS = 30 * 24 * 3600
ANSWERED_BOOST = 1.1
_SPACES = re.compile(r"\s+")
# Tags inside a line of text (core.markdown allows these and block tags).
_INLINE_TAG = r"</?(a|b|code|del|em|i|strong|sub|sup)(\s[^>]*)?>"
_WORD = re.compile(r"[\w'-]+", re.UNICODE)
# How much of a post a result shows when there are no words to find in it (read from
# the database as at most so many characters, then cut to whole words).
OPENING_WORDS = 30
OPENING_CHARACTERS = 1000


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing a search; each is optional and they combine (AND)."""

    community: object | None = None  # a Community
    tag: str | None = None  # a tag slug
    author: object | None = None  # a User: posts they wrote, threads they started
    kind: str | None = None  # Thread.Kind
    answered: bool | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def parse_query(text: str) -> SearchQuery:
    """Web-search syntax: words, "exact phrase", or, -exclude."""
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def has_searchable_words(query: str) -> bool:
    """Whether `query` holds any word search can use: the parser leaves out very
    common words ("the", "for") and symbols, so a query of those alone matches nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)) > 0", [CONFIG, query])
        return cursor.fetchone()[0]


def _filtered(rows: QuerySet, filters: SearchFilters, *, thread: str) -> QuerySet:
    """`rows` (posts or threads) narrowed by `filters`. `thread` is the path from a row
    to its thread ("thread__" for posts, "" for threads); the author and dates are
    the row's own."""
    if filters.community is not None:
        rows = rows.filter(**{f"{thread}community": filters.community})
    if filters.tag:
        rows = rows.filter(**{f"{thread}pk__in": Thread.objects.filter(tags__slug=filters.tag).values("pk")})
    if filters.author is not None:
        rows = rows.filter(author=filters.author)
    if filters.kind:
        rows = rows.filter(**{f"{thread}kind": filters.kind})
    if filters.answered is not None:
        rows = rows.filter(**{f"{thread}accepted_answer__isnull": not filters.answered})
    if filters.answered is False:  # only a question waits for an answer
        rows = rows.filter(**{f"{thread}kind": Thread.Kind.QUESTION})
    if filters.date_from:
        rows = rows.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(created_at__date__lte=filters.date_to)
    return rows


def _searchable_posts(user) -> QuerySet:
    """Posts `user` may read, less deleted ones: a deleted post's words never match."""
    return Post.objects.visible_to(user).exclude(status=Post.Status.DELETED)


class SearchResults:
    """Ranked search results that Paginator can page through with at most three
    queries, however many results there are: two score the candidates (scores and ids
    only, see _candidates), the other loads the rows of the page asked for, with their
    headlines (see _page_rows)."""

    def __init__(self, candidates: Callable[[], list[tuple]], query: str | None):
        self._candidates = candidates
        self._query = query
        self._ids: list[int] | None = None
        self._is_cut_short = False

    def ranked_ids(self) -> list[int]:
        """Each thread's best post (the highest score; among equal ones, the earlier
        post), best first (among equal scores, the newer post first)."""
        if self._ids is None:
            if self._query is None:  # what one member wrote, newest first: the one more is last
                rows = self._candidates()
                self._is_cut_short = len(rows) > WRITTEN_BY_LIMIT
                candidates = [(score, pk, thread_id) for score, pk, thread_id, _source in rows[:WRITTEN_BY_LIMIT]]
            else:
                candidates, self._is_cut_short = _ranked_candidates(self._candidates())
            best: dict[int, tuple[float, int]] = {}
            for score, pk, thread_id in candidates:
                if thread_id not in best or (score, -pk) > (best[thread_id][0], -best[thread_id][1]):
                    best[thread_id] = (score, pk)
            self._ids = [pk for _score, pk in sorted(best.values(), reverse=True)]
        return self._ids

    @property
    def is_cut_short(self) -> bool:
        """Whether some matches were left unranked (see CANDIDATE_LIMIT), so there may
        be more threads than count() says."""
        self.ranked_ids()
        return self._is_cut_short

    def count(self) -> int:
        return len(self.ranked_ids())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        ids = self.ranked_ids()[key]
        if not ids:
            return []
        by_pk = {row.pk: row for row in _page_rows(ids, self._query)}
        return [by_pk[pk] for pk in ids if pk in by_pk]


def _ranked_candidates(rows: list[tuple]) -> tuple[list[tuple[float, int, int]], bool]:
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


def search_posts(user, *, query: str, filters: SearchFilters | None = None) -> SearchResults:
    """The best-matching post of each matching thread `user` may read, best first.

    Rows are Posts with `thread` and `thread.community` loaded, and `title_headline`
    and `body_headline`: ts_headline output with MARK_START/MARK_STOP around matches
    (pass the rows through `add_snippets` to get safe HTML). A thread that matches
    only by its title is represented by its opening post.

    With no words, the rows are what `filters.author` wrote (see `_written_by`);
    without an author too, this raises ValueError.
    """
    filters = filters or SearchFilters()
    if not query:
        return _written_by(user, filters)
    tsquery = parse_query(query)
    matching_posts = _filtered(_searchable_posts(user).filter(search_vector=tsquery), filters, thread="thread__")
    matching_threads = _filtered(
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
    return SearchResults(lambda: _candidates(_scored_columns(matching_posts), _scored_columns(openings), query), query)


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
# The candidates of a search: the newest CANDIDATE_LIMIT + 1 matching posts, and the
# opening posts of the newest threads whose titles match, each row (score, post,
# thread, source), scored after the limits. The newest matching posts are looked for
# first among the newest RECENT_WINDOW posts, whose start is given as a number so
# that PostgreSQL plans for the window's real size: a common word fills the limit
# there, and only the matches in the window are read (walking back through the
# newest posts when most of them match, or else the GIN index and the primary key
# together). Only when the window holds fewer are all the matches read, and sorted
# after they are read ("+ 0"): walking back through every post, as PostgreSQL chose
# before for two common words that seldom meet, read the whole table (a second). That
# condition sits outside the read's LIMIT, so it is checked before any of the read
# starts. In SQL because the ORM cannot say "this, or only if it holds too few,
# that"; who may read what is still decided by the ORM's queries from
# visible_to(user), put in whole.
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


def _written_by(user, filters: SearchFilters) -> SearchResults:
    """What `filters.author` wrote that `user` may read, as search results without
    words: each thread's newest post of theirs, newest first (the score is the time).
    Their newest WRITTEN_BY_LIMIT posts are read, through their own index, so a busy
    thread of theirs cannot crowd out the others."""
    if filters.author is None:
        raise ValueError("A search without words needs an author")
    newest_posts = (
        _filtered(_searchable_posts(user), filters, thread="thread__")
        .annotate(score=_time_of("created_at"), source=Value(FROM_POSTS))
        .order_by("-created_at", "-pk")
        .values_list("score", "pk", "thread_id", "source")[: WRITTEN_BY_LIMIT + 1]
    )
    return SearchResults(lambda: list(newest_posts), None)


def wrote_anything(user, author) -> bool:
    """Whether `author` wrote any post `user` may read (a search of theirs finds something)."""
    return _searchable_posts(user).filter(author=author).exists()


def search_threads(user, *, query: str, **filters) -> SearchResults:
    """`search_posts` with the filters as keyword arguments (community, tag, author,
    kind, answered, date_from, date_to)."""
    return search_posts(user, query=query, filters=SearchFilters(**filters))


def _in_field_order(model, names: set[str]) -> list[str]:
    """The columns `names` in the order of the model's fields, as Model.from_db takes them."""
    return [field.attname for field in model._meta.concrete_fields if field.attname in names]


_POST_COLUMNS = _in_field_order(Post, {"id", "thread_id", "parent_id", "author_id", "status", "created_at"})
_THREAD_COLUMNS = _in_field_order(
    Thread,
    {"id", "community_id", "title", "slug", "kind", "accepted_answer_id", "last_activity_at", "short_answer_html"},
)
_COMMUNITY_COLUMNS = _in_field_order(Community, {"id", "name", "slug"})
# A results page's rows: its posts, each with its thread and community, and the
# headlines (see _page_rows). In SQL, with the model objects made from its rows, as
# the ORM took longer to build this query (about 1 ms) than PostgreSQL takes to answer it.
_PAGE_SQL = """
SELECT {columns}, {title_headline}, {body_headline}
FROM forums_post AS post
JOIN forums_thread AS thread ON thread.id = post.thread_id
JOIN communities_community AS community ON community.id = thread.community_id
WHERE post.id = ANY(%s)
"""
# The text of stored HTML, so a snippet reads as the post does ("bold", not "**bold**";
# a link's text, not its address): text-level tags go ("<b>for</b>, not" reads "for,
# not"), and every other tag is a space between words. Sanitised HTML escapes every <
# and > that is not markup, so a tag is exactly <...>. Entities stay as they are;
# add_snippets decodes them.
_TEXT_OF_HTML = "regexp_replace(regexp_replace(post.body_html, %s, '', 'g'), '<[^>]*>', ' ', 'g')"
_HEADLINE = "ts_headline(%s::regconfig, {text}, websearch_to_tsquery(%s::regconfig, %s), %s)"
# ts_headline's options: the whole title, marked; two fragments of the post.
_MARKS = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", FragmentDelimiter=" … "'
_TITLE_OPTIONS = f"{_MARKS}, HighlightAll=true"
_BODY_OPTIONS = f"{_MARKS}, MaxWords=35, MinWords=15, MaxFragments=2"


def _page_rows(ids: list[int], query: str | None) -> list[Post]:
    """The posts `ids` with `thread` and `thread.community` loaded, and `title_headline`
    and `body_headline`: their words marked (see search_posts), or without words the
    title and the opening words of the post."""
    columns = [
        *(f"post.{name}" for name in _POST_COLUMNS),
        *(f"thread.{name}" for name in _THREAD_COLUMNS),
        *(f"community.{name}" for name in _COMMUNITY_COLUMNS),
    ]
    if query is None:  # nothing to highlight: the title, and how the post begins
        headlines, params = ["thread.title", f"left({_TEXT_OF_HTML}, %s)"], [_INLINE_TAG, OPENING_CHARACTERS]
    else:
        headlines = [_HEADLINE.format(text="thread.title"), _HEADLINE.format(text=_TEXT_OF_HTML)]
        params = [CONFIG, CONFIG, query, _TITLE_OPTIONS, CONFIG, _INLINE_TAG, CONFIG, query, _BODY_OPTIONS]
    sql = _PAGE_SQL.format(columns=", ".join(columns), title_headline=headlines[0], body_headline=headlines[1])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ids])
        found = cursor.fetchall()
    rows = []
    threads_end = len(_POST_COLUMNS) + len(_THREAD_COLUMNS)
    communities_end = threads_end + len(_COMMUNITY_COLUMNS)
    for values in found:
        post = Post.from_db(connection.alias, _POST_COLUMNS, values[: len(_POST_COLUMNS)])
        post.thread = Thread.from_db(connection.alias, _THREAD_COLUMNS, values[len(_POST_COLUMNS) : threads_end])
        post.thread.community = Community.from_db(
            connection.alias, _COMMUNITY_COLUMNS, values[threads_end:communities_end]
        )
        post.title_headline, post.body_headline = values[communities_end:]
        if query is None:
            post.body_headline = _opening_words(post.body_headline)
        rows.append(post)
    return rows


def _time_of(field: str) -> Extract:
    """Seconds since 1970 (in UTC: local time repeats an hour each autumn)."""
    return Extract(field, "epoch", tzinfo=datetime.UTC, output_field=FloatField())


def _opening_words(text: str | None) -> str:
    """The first OPENING_WORDS words of `text`, with " …" when there are more."""
    words = (text or "").split()
    return " ".join(words[:OPENING_WORDS]) + (" …" if len(words) > OPENING_WORDS else "")


def safe_snippet(headline: str | None, *, from_html: bool = False) -> SafeString:
    """ts_headline output as HTML that holds nothing but escaped text and <mark>. A
    headline made `from_html` has its entities decoded (so "&amp;" reads "&") and its
    runs of white space, where tags were, made one."""
    text = headline or ""
    if from_html:
        text = _SPACES.sub(" ", html.unescape(text)).strip()
    escaped = escape(text)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))  # noqa: S308 - escaped above


def add_snippets(rows) -> list:
    """Give each result row `title_html` and `snippet_html` (safe HTML); no queries."""
    rows = list(rows)
    for row in rows:
        row.title_html = safe_snippet(row.title_headline)
        row.snippet_html = safe_snippet(row.body_headline, from_html=True)
    return rows


def _title_terms(title: str) -> list[str]:
    return [word.strip("'-") for word in _WORD.findall(title.lower()) if len(word.strip("'-")) > 1]


def similar_threads(user, title: str, limit: int = 5) -> QuerySet | list:
    """Up to `limit` visible threads whose titles share words with `title`, closest
    first. Any word may match (terms joined with "or"), so partial overlap counts;
    english stop words drop out in the parser."""
    terms = _title_terms(title)[:20]
    if not terms:
        return []
    tsquery = SearchQuery(" or ".join(terms), search_type="websearch", config=CONFIG)
    return (
        Thread.objects.visible_to(user)
        .filter(search_vector=tsquery)
        # An archived community takes no new posts: its threads are not suggested.
        .exclude(community__status=Community.Status.ARCHIVED)
        .select_related("community")
        .annotate(score=SearchRank(F("search_vector"), tsquery, normalization=Value(1)))
        .order_by("-score", "-last_activity_at")[:limit]
    )
