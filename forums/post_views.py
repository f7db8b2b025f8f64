"""Actions on one post: reply to it, quote it, edit, delete, see its history,
mark it as the answer or as helpful, download its files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.permissions import can_accept_answer, can_view_post
from core.once import Refused, submit_once
from core.security import moderation_needs_two_factor
from core.views import forbidden
from forums.forms import PostEditForm, ReplyForm
from forums.models import Attachment, Post
from forums.post_rules import can_change_post, can_delete_post, can_mark_helpful, can_view_revisions
from forums.rendering import quote_markdown, render_post_body
from forums.selectors import get_post_for, get_thread_for
from forums.services import (
    PostingRefused,
    answer_accept,
    answer_clear,
    helpful_mark,
    helpful_unmark,
    post_delete,
    post_edit,
    post_reply,
    reply_refusal,
)
from forums.view_helpers import held_message
from forums.writing_check import writing_check


def _reply(request: HttpRequest, form: ReplyForm, parent: Post) -> Post:
    data = form.cleaned_data
    try:
        return post_reply(
            thread=parent.thread,
            author=request.user,
            body=data["body"],
            parent=parent,
            attachments=data["attachments"],
        )
    except PostingRefused as refusal:  # a mute or a rate limit: said on the form
        raise Refused(refusal.message) from refusal


@login_required
@require_http_methods(["GET", "POST"])
def post_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Reply to a post (the opening post means "reply to the thread"); ?quote=1 quotes it."""
    parent = get_post_for(request.user, pk)
    thread = parent.thread
    # Whether to offer the form at all; mutes and rate limits are met on sending it.
    if reply_refusal(thread=thread, author=request.user, parent=parent, limits=False):
        locked = f"This thread is locked: {thread.lock_reason}" if thread.is_locked else ""
        return forbidden(request, locked or "You cannot reply here.")
    initial = {"body": quote_markdown(parent)} if request.GET.get("quote") == "1" else {}
    form = ReplyForm(request.POST or None, request.FILES or None, initial=initial)
    preview_html = plain_english = None
    if request.method == "POST" and "preview" in request.POST:
        form = ReplyForm(initial={"body": request.POST.get("body", "")})
        preview_html = render_post_body(request.POST.get("body", "")[:20_000])
        plain_english = writing_check(request.POST.get("body", "")[:20_000], thread.community)
    elif request.method == "POST" and form.is_valid():
        sent = submit_once(request, form, lambda: _reply(request, form, parent), Post.get_absolute_url)
        if sent is not None:
            if sent.made and sent.made.status == Post.Status.HELD:
                messages.info(request, held_message("Your reply", sent.made))
            return redirect(sent.url)
    context = {"form": form, "parent": parent, "thread": thread, "preview_html": preview_html}
    context["plain_english"] = plain_english
    return render(request, "forums/post_reply.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    if not can_change_post(request.user, post):
        return forbidden(request, "You cannot edit this post.")
    if post.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    preview_html = plain_english = None
    if request.method == "POST" and "preview" in request.POST:
        form = PostEditForm(initial={"body": request.POST.get("body", "")})
        preview_html = render_post_body(request.POST.get("body", "")[:20_000])
        plain_english = writing_check(request.POST.get("body", "")[:20_000], post.thread.community)
    elif request.method == "POST" and form.is_valid():
        post_edit(post=post, editor=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Your changes have been saved.")
        return redirect(post)
    context = {"form": form, "post": post, "thread": post.thread, "preview_html": preview_html}
    context["plain_english"] = plain_english
    return render(request, "forums/post_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    if not can_delete_post(request.user, post):
        return forbidden(request, "You cannot delete this post.")
    if post.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    if request.method == "POST":
        post_delete(post=post, by=request.user)
        messages.success(request, "The post has been deleted.")
        return redirect(post)
    return render(request, "forums/post_delete.html", {"post": post, "thread": post.thread})


@login_required
@require_GET
def post_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    if not can_view_revisions(request.user, post):
        return forbidden(request, "Only the author and facilitators can see a post's history.")
    if post.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    revisions = post.revisions.select_related("edited_by")
    return render(request, "forums/post_revisions.html", {"post": post, "thread": post.thread, "revisions": revisions})


@login_required
@require_POST
def post_accept(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    if not can_accept_answer(request.user, post.thread):
        return forbidden(request, "Only the person who asked, or a facilitator, can choose the answer.")
    if post.thread.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    if post.is_opening or post.status != Post.Status.PUBLISHED:
        return forbidden(request, "Only a published reply can be the answer.")
    answer_accept(thread=post.thread, post=post, by=request.user)
    messages.success(request, "The reply is marked as the answer.")
    return redirect(post.thread)


@login_required
@require_POST
def answer_clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_for(request.user, pk)
    if not can_accept_answer(request.user, thread):
        return forbidden(request, "Only the person who asked, or a facilitator, can choose the answer.")
    if thread.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    answer_clear(thread=thread, by=request.user)
    messages.success(request, "The question no longer has an accepted answer.")
    return redirect(thread)


@login_required
@require_POST
def post_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    if not can_mark_helpful(request.user, post):
        return forbidden(request, "You cannot mark this post as helpful.")
    helpful_mark(post=post, user=request.user)
    return redirect(post)


@login_required
@require_POST
def post_unhelpful(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    if not can_mark_helpful(request.user, post):
        return forbidden(request, "You cannot change this post's helpful marks.")
    helpful_unmark(post=post, user=request.user)
    return redirect(post)


@require_GET
def attachment_download(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    """Files only for those who may see their post; images inline, everything else as a download."""
    attachment = get_object_or_404(Attachment.objects.select_related("post__thread__community"), pk=pk)
    if filename != attachment.filename or not can_view_post(request.user, attachment.post):
        raise Http404("No such file")
    if attachment.post.status == Post.Status.DELETED:
        raise Http404("No such file")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not attachment.is_image,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
