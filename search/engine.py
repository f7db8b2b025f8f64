"""Full-text search over what a person may read: the one search function every
search surface calls. query.py parses and narrows, ranking.py reads and scores the
candidates, rows.py loads a page's rows and snippets; this module ranks and pages them.
How matching, ranking and the bounds on the work are designed: docs/search.md."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import FloatField, Value
from django.db.models.functions import Extract

from search.query import SearchFilters, filtered, searchable_posts
from search.ranking import FROM_POSTS, matching_candidates, ranked_candidates
from search.rows import page_rows

# How many of one member's newest posts "Written by" alone reads (one more says there were more).
WRITTEN_BY_LIMIT = 500


class SearchResults:
    """Ranked search results that Paginator can page through with at most three
    queries, however many results there are: two score the candidates (scores and ids
    only, see ranking._candidates), the other loads the rows of the page asked for, with their
    headlines (see rows.page_rows)."""

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
                candidates, self._is_cut_short = ranked_candidates(self._candidates())
            best: dict[int, tuple[float, int]] = {}
            for score, pk, thread_id in candidates:
                if thread_id not in best or (score, -pk) > (best[thread_id][0], -best[thread_id][1]):
                    best[thread_id] = (score, pk)
            self._ids = [pk for _score, pk in sorted(best.values(), reverse=True)]
        return self._ids

    @property
    def is_cut_short(self) -> bool:
        """Whether some matches were left unranked (see ranking.CANDIDATE_LIMIT), so there may
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
        by_pk = {row.pk: row for row in page_rows(ids, self._query)}
        return [by_pk[pk] for pk in ids if pk in by_pk]


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
    return SearchResults(matching_candidates(user, query=query, filters=filters), query)


def _written_by(user, filters: SearchFilters) -> SearchResults:
    """What `filters.author` wrote that `user` may read, as search results without
    words: each thread's newest post of theirs, newest first (the score is the time).
    Their newest WRITTEN_BY_LIMIT posts are read, through their own index, so a busy
    thread of theirs cannot crowd out the others."""
    if filters.author is None:
        raise ValueError("A search without words needs an author")
    newest_posts = (
        filtered(searchable_posts(user), filters, thread="thread__")
        .annotate(score=_time_of("created_at"), source=Value(FROM_POSTS))
        .order_by("-created_at", "-pk")
        .values_list("score", "pk", "thread_id", "source")[: WRITTEN_BY_LIMIT + 1]
    )
    return SearchResults(lambda: list(newest_posts), None)


def wrote_anything(user, author) -> bool:
    """Whether `author` wrote any post `user` may read (a search of theirs finds something)."""
    return searchable_posts(user).filter(author=author).exists()


def search_threads(user, *, query: str, **filters) -> SearchResults:
    """`search_posts` with the filters as keyword arguments (community, tag, author,
    kind, answered, date_from, date_to)."""
    return search_posts(user, query=query, filters=SearchFilters(**filters))


def _time_of(field: str) -> Extract:
    """Seconds since 1970 (in UTC: local time repeats an hour each autumn)."""
    return Extract(field, "epoch", tzinfo=datetime.UTC, output_field=FloatField())
