"""The site's home page ("/"), and the choices a member makes there: putting an
announcement away, following a tag (from its tag page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from communities.page_cache import cached_page
from core.jinja2 import render_jinja2
from core.views import forbidden
from forums import follows, home, member_home
from forums.listings import ThreadRows
from forums.selectors import get_thread_for


def _member_page(request: HttpRequest) -> HttpResponse:
    """An approved member's home: a fixed number of queries whatever the data size
    (forums.member_home); its sections are rendered by Jinja2, as the thread page's posts."""
    user = request.user
    communities = member_home.my_communities(user)
    if communities:
        sections = member_home.member_home(user, communities)
        # One set of rows for both lists: a thread in both is looked up and rendered once.
        rows = ThreadRows(request, sections.new + sections.waiting, show_community=True)
        context = {
            "communities": sections.communities,
            "new_rows": rows.html_for([item.pk for item in sections.new]),
            "waiting_rows": rows.html_for([item.pk for item in sections.waiting]),
            "own_threads": sections.own,
        }
        announcements = sections.announcements
    else:
        suggestions = home.suggested_communities(user)
        context = {
            "own_threads": member_home.own_threads(user),
            "suggestions_html": render_to_string(
                "forums/home/_suggestions.html", {"suggestions": suggestions}, request=request
            ),
        }
        announcements = []
    sections_html = render_jinja2("forums/home_member.html", context, request=request)
    return render(request, "forums/home/member.html", {"sections": sections_html, "announcements": announcements})


@require_GET
def site_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and user.is_approved:
        return _member_page(request)

    def render_page(kept_context: dict) -> str:
        context = {
            "latest_rows": ThreadRows(request, home.latest_public_threads(user), show_community=True),
            "active_communities": home.active_public_communities(user),
            **kept_context,
        }
        return render_to_string("forums/home/visitor.html", context, request=request)

    # Visitors (and accounts awaiting approval) see only public content: kept until any of it changes.
    return cached_page(request, "site-home", render_page, params=[])


@require_POST
@login_required
def announcement_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_for(request.user, pk)
    try:
        follows.announcement_dismiss(user=request.user, thread=thread)
    except ValueError as error:
        raise Http404("No such announcement") from error
    return redirect("home")


@require_POST
@login_required
def tag_follow(request: HttpRequest, tag: str) -> HttpResponse:
    found = follows.followable_tag_for(request.user, tag)
    if not follows.may_follow_tags(request.user):
        return forbidden(request, "You can follow tags once your account has been approved.")
    follows.tag_follow(user=request.user, tag=found)
    messages.success(request, f"You are following “{found.name}”. Questions with it come first on your home page.")
    return redirect("tag_threads", tag=found.slug)


@require_POST
@login_required
def tag_unfollow(request: HttpRequest, tag: str) -> HttpResponse:
    found = follows.followable_tag_for(request.user, tag)
    follows.tag_unfollow(user=request.user, tag=found)
    messages.success(request, f"You no longer follow “{found.name}”.")
    return redirect("tag_threads", tag=found.slug)
