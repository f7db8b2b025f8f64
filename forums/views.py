"""Thread pages: start a thread, read it, find a post, tag pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from communities.page_cache import cache_key_for, cached_page
from communities.permissions import can_post_announcement, get_community_for
from core.once import Refused, submit_once
from core.views import forbidden
from forums.experts import tag_experts
from forums.follows import is_following, may_follow_tags
from forums.forms import ReplyForm, ThreadForm, ThreadPageForm
from forums.models import Thread
from forums.rendering import render_post_body
from forums.selectors import (
    community_tags,
    first_unread_post,
    get_post_for,
    get_thread_for,
    post_page_number,
    tag_thread_list,
    thread_page,
)
from forums.services import PostingRefused, thread_mark_read, thread_start, thread_start_refusal
from forums.similar import similar_threads_html
from forums.thread_posts import posts_viewer, thread_posts_html
from forums.view_helpers import held_message, thread_permissions
from forums.writing_check import writing_check
from members.selectors import may_use_directory


def _thread(request: HttpRequest, community, form: ThreadForm) -> Thread:
    fields = ["title", "body", "kind", "tags", "attachments"]
    try:
        return thread_start(
            community=community, author=request.user, **{name: form.cleaned_data[name] for name in fields}
        )
    except PostingRefused as refusal:  # a mute or a rate limit: said on the form
        raise Refused(refusal.message) from refusal


def _start_thread(request: HttpRequest, community, form: ThreadForm) -> HttpResponse | None:
    """Post the valid form as a new thread (once, however often it is sent); None (with
    a form error) if posting is blocked."""
    sent = submit_once(
        request,
        form,
        lambda: _thread(request, community, form),
        # A held thread stays hidden until approved: show the author their held posts.
        lambda thread: reverse("my_moderated_posts") if thread.is_hidden else thread.get_absolute_url(),
    )
    if sent is None:
        return None
    if sent.made and sent.made.is_hidden:
        opening = sent.made.posts.get(parent__isnull=True)
        messages.info(request, held_message("Your thread", opening))
    return redirect(sent.url)


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    # Whether to offer the form at all; mutes and rate limits are met on sending it.
    if thread_start_refusal(community=community, author=request.user, limits=False):
        return forbidden(request, "Only members of this community can start threads.")
    suggested, allowed = community_tags(community, request.user)
    options = {"can_announce": can_post_announcement(request.user, community)}
    options.update(suggested_tags=suggested, allowed_tags=allowed)
    context = {"community": community}
    if "preview" in request.POST or "check_similar" in request.POST:
        # Show the preview or suggestions without judging the unfinished form.
        context["form"] = ThreadForm(initial=request.POST.dict(), **options)
        if "preview" in request.POST:
            context["preview_html"] = render_post_body(request.POST.get("body", "")[:20_000])
            context["plain_english"] = writing_check(request.POST.get("body", "")[:20_000], community)
        else:
            context["similar_html"] = similar_threads_html(request, request.POST.get("title", "")[:200])
        return render(request, "forums/thread_new.html", context)
    context["form"] = form = ThreadForm(request.POST or None, request.FILES or None, **options)
    if request.method == "POST" and form.is_valid():
        response = _start_thread(request, community, form)
        if response is not None:
            return response
    return render(request, "forums/thread_new.html", context)


def _thread_context(request, thread, order: str) -> tuple[dict, str]:
    """The thread page's context, and what stands for all of it that the page shows
    and that depends on who is asking."""
    context = thread_page(request, thread, order)
    context.update(thread_permissions(request.user, thread, context))
    context["posts_viewer"] = posts = posts_viewer(request.user, context)
    first_unread = context["first_unread"] and context["first_unread"].pk
    names = ["can_reply", "can_watch", "can_manage", "subscription_level", "can_write_short_answer"]
    names += ["short_answer_due", "next_review_by"]
    return context, cache_key_for([posts, first_unread, *(context[name] for name in names)])


@require_GET
def thread_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    thread = get_thread_for(request.user, pk)
    if slug != thread.slug:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(thread.get_absolute_url() + query, permanent=True)
    page_form = ThreadPageForm(request.GET)
    order = page_form.cleaned_data["order"] if page_form.is_valid() and page_form.cleaned_data["order"] else "tree"
    context, viewer = None, "visitor"  # visitors all see the same: worked out only if not cached
    if request.user.is_authenticated:
        context, viewer = _thread_context(request, thread, order)
        if not context["read_up_to_date"]:
            thread_mark_read(thread=thread, user=request.user)

    def render_page(kept_context: dict) -> str:
        page_context = context if context is not None else _thread_context(request, thread, order)[0]
        posts_html = thread_posts_html(request, page_context)
        # The reply box is made only for a page being rendered, not for one already kept.
        reply_form = ReplyForm() if page_context["can_reply"] else None
        body_context = {**page_context, "posts_html": posts_html, "reply_form": reply_form, **kept_context}
        body = render_to_string("forums/_thread_body.html", body_context, request=request)
        page = {"thread": thread, "community": thread.community, "body": body, **kept_context}
        return render_to_string("forums/thread_detail.html", page, request=request)

    # Anything on the page changing moves the thread's or the community's content_version
    # on (forums/migrations/0003), and so the key.
    name, version = f"thread-page:{thread.pk}", f"{thread.content_version}-{thread.community.content_version}"
    return cached_page(request, name, render_page, params=ThreadPageForm.base_fields, version=version, viewer=viewer)


@require_GET
def thread_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(get_thread_for(request.user, pk), permanent=True)


@require_GET
def thread_first_unread(request: HttpRequest, pk: int) -> HttpResponse:
    """Jump to the first post the member has not read (the thread's top if none)."""
    thread = get_thread_for(request.user, pk)
    post = first_unread_post(request.user, thread) if request.user.is_authenticated else None
    if post is None:
        return redirect(thread)
    return redirect("post_redirect", pk=post.pk)


@require_GET
def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's permalink: the right page of its thread, scrolled to the post."""
    post = get_post_for(request.user, pk)
    page_form = ThreadPageForm(request.GET)
    order = page_form.cleaned_data["order"] if page_form.is_valid() and page_form.cleaned_data["order"] else "tree"
    query = {}
    page = post_page_number(request.user, post, order)
    if page > 1:
        query["page"] = page
    if order != "tree":
        query["order"] = order
    url = post.thread.get_absolute_url() + (f"?{urlencode(query)}" if query else "")
    return redirect(f"{url}#post-{post.pk}")


@require_GET
def tag_threads(request: HttpRequest, tag: str) -> HttpResponse:
    context = tag_thread_list(request, tag)
    context["experts"] = tag_experts(request.user, tag)
    context["may_use_directory"] = may_use_directory(request.user)
    context["may_follow"] = may_follow_tags(request.user)
    context["following"] = context["may_follow"] and is_following(request.user, context["tag"])
    return render(request, "forums/tag_threads.html", context)
