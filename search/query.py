"""What a search reads and how it is narrowed: the query syntax, the filters, and
the posts a person may search at all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import QuerySet

from forums.models import SEARCH_CONFIG, Post, Thread

# The text search configuration of the stored vectors (forums.models), which queries must match.
CONFIG = SEARCH_CONFIG


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


def filtered(rows: QuerySet, filters: SearchFilters, *, thread: str) -> QuerySet:
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


def searchable_posts(user) -> QuerySet:
    """Posts `user` may read, less deleted ones: a deleted post's words never match."""
    return Post.objects.visible_to(user).exclude(status=Post.Status.DELETED)
