"""The search page and the similar-questions fragment (search.engine and forums.similar)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from taggit.models import TaggedItem

from communities.page_cache import cached_for_viewer, cached_page
from core.jinja2 import render_jinja2
from forums.models import Thread
from forums.similar import similar_threads
from search.engine import search_posts, wrote_anything
from search.forms import SearchForm, SimilarThreadsForm
from search.query import has_searchable_words
from search.rows import add_snippets

RESULTS_PER_PAGE = 20
POPULAR_TAGS = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    def render_page(kept_context: dict) -> str:
        form = SearchForm(request.GET or None, user=request.user)
        context = {"form": form, "page_obj": None, "results": [], **kept_context}
        if form.is_bound and form.is_valid():  # valid means it has words or an author (SearchForm.clean)
            words, filters = form.cleaned_data["q"], form.filters()
            results = search_posts(request.user, query=words, filters=filters)
            page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            rows = _with_links(add_snippets(page_obj))
            context.update(
                page_obj=page_obj,
                results=rows,
                results_html=_results_html(rows),
                is_cut_short=results.is_cut_short,
                searched=True,
                words=words,
                quoted_words=_quoted(words),
                **_written_by_context(request.user, form, filters.author),
            )
        if not context["results"]:
            context["popular_tags"] = popular_tags(request.user)
            if context.get("words"):
                context["nothing_searchable"] = not has_searchable_words(context["words"])
            elif context.get("written_by") and form.has_filters_besides_author():
                context["wrote_anything"] = wrote_anything(request.user, context["written_by"])
        page = {
            "title": mark_safe(render_to_string("search/_title.html", context, request=request).strip()),  # noqa: S308 - rendered, so escaped
            "body": render_to_string("search/_body.html", context, request=request),
            **kept_context,
        }
        return render_to_string("search/search.html", page, request=request)

    # Whether an author's name is taken or listed depends on accounts, not on content.
    if request.GET.get("author"):
        return HttpResponse(render_page({}))
    return cached_page(request, "search", render_page, params=[*SearchForm.base_fields, "page"])


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """An HTML fragment of up to five visible threads like the title typed so far."""

    def render_fragment() -> str:
        form = SimilarThreadsForm(request.GET)
        title = form.cleaned_data["title"] if form.is_valid() else ""
        threads = similar_threads(request.user, title) if title else []
        context = {"similar_threads": threads, "title": title}
        return render_to_string("forums/_similar_threads.html", context, request=request)

    return HttpResponse(cached_for_viewer(request, "similar", render_fragment, params=SimilarThreadsForm.base_fields))


def popular_tags(user, limit: int = POPULAR_TAGS) -> list[dict]:
    """The most used tags on threads `user` may read."""
    return list(
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Thread),
            object_id__in=Thread.objects.visible_to(user).values("pk"),
        )
        .values("tag__name", "tag__slug")
        .annotate(uses=Count("pk"))
        .order_by("-uses", "tag__name")[:limit]
    )


def _quoted(words: str) -> str:
    """Search words as the page quotes them: in double curly quotes, or in single ones
    when they hold double quotes of their own (‘"too quiet" library’)."""
    return f"‘{words}’" if '"' in words else f"“{words}”"


def _written_by_context(viewer, form: SearchForm, author) -> dict:
    """How the page speaks of the author searched for, if any: "you" to themselves."""
    if author is None:
        return {"written_by": None}
    is_self = author.pk == viewer.pk
    name = form.author_shown_as
    return {
        "written_by": author,
        "written_by_self": is_self,
        "written_by_name": name,
        "written_by_title": "Your posts" if is_self else f"Posts by {name}",
    }


def _results_html(rows: list) -> SafeString:
    # Jinja2 (core/jinja2.py): the list is most of the page's rendering.
    return render_jinja2("search/_results.html", {"results": rows})


def _with_links(rows: list) -> list:
    """Each result links to its matching post, wherever that post sits in the thread."""
    for row in rows:
        row.link = _post_link(row)
    return rows


def _post_link(post) -> str:
    try:
        return reverse("post_redirect", kwargs={"pk": post.pk})
    except NoReverseMatch:
        pass
    try:
        return post.thread.get_absolute_url() + f"#post-{post.pk}"
    except NoReverseMatch:
        return reverse("search")
