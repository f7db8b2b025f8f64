"""The "similar questions" box on the new-thread form: visible threads whose titles
share words with the title being typed. The search app's live fragment
(search.views.similar) asks the same function."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet, Value
from django.template.loader import render_to_string

from communities.models import Community
from forums.models import SEARCH_CONFIG, Thread

_WORD = re.compile(r"[\w'-]+", re.UNICODE)


def _title_terms(title: str) -> list[str]:
    return [word.strip("'-") for word in _WORD.findall(title.lower()) if len(word.strip("'-")) > 1]


def similar_threads(user, title: str, limit: int = 5) -> QuerySet | list:
    """Up to `limit` visible threads whose titles share words with `title`, closest
    first. Any word may match (terms joined with "or"), so partial overlap counts;
    english stop words drop out in the parser."""
    terms = _title_terms(title)[:20]
    if not terms:
        return []
    tsquery = SearchQuery(" or ".join(terms), search_type="websearch", config=SEARCH_CONFIG)
    return (
        Thread.objects.visible_to(user)
        .filter(search_vector=tsquery)
        # An archived community takes no new posts: its threads are not suggested.
        .exclude(community__status=Community.Status.ARCHIVED)
        .select_related("community")
        .annotate(score=SearchRank(F("search_vector"), tsquery, normalization=Value(1)))
        .order_by("-score", "-last_activity_at")[:limit]
    )


def similar_threads_html(request, title: str) -> str:
    title = title.strip()
    threads = similar_threads(request.user, title, limit=5)
    context = {"similar_threads": threads, "threads": threads, "title": title, "asked": True}
    return render_to_string("forums/_similar_threads.html", context, request=request)
