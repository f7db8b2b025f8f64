"""A results page's rows: the posts asked for, each with its thread and community and
its words marked in the title and the text (ts_headline), in one query; and those
marks made into safe HTML."""

from __future__ import annotations

import html
import re

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from communities.models import Community
from forums.models import Post, Thread
from search.query import CONFIG

# Unlikely characters that ts_headline wraps around matches; the snippet is escaped
# as plain text and only then are balanced pairs turned into <mark> elements.
MARK_START = "\x02"
MARK_STOP = "\x03"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
_SPACES = re.compile(r"\s+")
# Tags inside a line of text (core.markdown allows these and block tags).
_INLINE_TAG = r"</?(a|b|code|del|em|i|strong|sub|sup)(\s[^>]*)?>"
# How much of a post a result shows when there are no words to find in it (read from
# the database as at most so many characters, then cut to whole words).
OPENING_WORDS = 30
OPENING_CHARACTERS = 1000


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
# headlines (see page_rows). In SQL, with the model objects made from its rows, as
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


def page_rows(ids: list[int], query: str | None) -> list[Post]:
    """The posts `ids` with `thread` and `thread.community` loaded, and `title_headline`
    and `body_headline`: their words marked (see engine.search_posts), or without words the
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
