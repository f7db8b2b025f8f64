"""Writing, confirming and removing a question's short answer (forums/short_answers.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.permissions import can_write_short_answer
from core.security import moderation_needs_two_factor
from core.views import forbidden
from forums.rendering import render_post_body
from forums.selectors import get_thread_for
from forums.short_answers import (
    ConfirmShortAnswerForm,
    ShortAnswerForm,
    default_review_by,
    short_answer_confirm,
    short_answer_remove,
    short_answer_save,
)
from forums.writing_check import writing_check

NOT_ALLOWED = "Only the asker or a facilitator can write the short answer, once the question has an accepted answer."


@login_required
@require_http_methods(["GET", "POST"])
def short_answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_for(request.user, pk)
    if thread.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    if not can_write_short_answer(request.user, thread):
        return forbidden(request, NOT_ALLOWED)
    context = {"thread": thread, "community": thread.community, "preview_html": None}
    initial = {"body": thread.short_answer, "review_by": default_review_by()}
    if "preview" in request.POST:
        body = request.POST.get("body", "")[:5000]
        context["form"] = ShortAnswerForm(initial=request.POST.dict())
        context["preview_html"] = render_post_body(body)
        context["plain_english"] = writing_check(body, thread.community)
        return render(request, "forums/short_answer_edit.html", context)
    context["form"] = form = ShortAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            short_answer_save(thread=thread, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The short answer has been saved.")
            return redirect(thread)
    return render(request, "forums/short_answer_edit.html", context)


@login_required
@require_POST
def short_answer_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Still true: confirmed today, with the next review date the form gives."""
    thread = get_thread_for(request.user, pk)
    if thread.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    if not can_write_short_answer(request.user, thread):
        return forbidden(request, NOT_ALLOWED)
    form = ConfirmShortAnswerForm(request.POST)
    if not form.is_valid() or not thread.short_answer:
        messages.error(request, form.errors.get("review_by", ["There is no short answer to confirm"])[0])
        return redirect(thread)
    short_answer_confirm(thread=thread, by=request.user, review_by=form.cleaned_data["review_by"])
    messages.success(request, "The short answer is confirmed as still true.")
    return redirect(thread)


@login_required
@require_POST
def short_answer_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_for(request.user, pk)
    if thread.author_id != request.user.pk and (set_up := moderation_needs_two_factor(request)):
        return set_up
    if not can_write_short_answer(request.user, thread):
        return forbidden(request, NOT_ALLOWED)
    short_answer_remove(thread=thread, by=request.user)
    messages.success(request, "The short answer has been removed.")
    return redirect(thread)
