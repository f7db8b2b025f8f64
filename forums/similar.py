"""The "similar questions" box on the new-thread form. The search app provides the
matching (forums.search.similar_threads) and its partial; without them the box is empty."""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def similar_threads_html(request, title: str) -> str | None:
    try:
        from forums.search import similar_threads
    except ImportError:
        return None
    title = title.strip()
    threads = similar_threads(request.user, title, limit=5)
    context = {"similar_threads": threads, "threads": threads, "title": title, "asked": True}
    try:
        return render_to_string("search/_similar_threads.html", context, request=request)
    except TemplateDoesNotExist:
        return None
