"""Pinning an announcement until a date, and unpinning it, from a community's
highlights page (forums.highlights_views): thread actions, so they live here with the
others (moderation.thread_actions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from forums import highlights
from forums.highlights_views import (
    PinUntilForm,
    acting_facilitator_of,
    highlights_url,
    render_highlights_page,
    thread_in,
)
from moderation import thread_actions


@require_POST
@login_required
def pin_until(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = acting_facilitator_of(request, slug)
    if isinstance(community, HttpResponse):
        return community
    thread = thread_in(community, pk)
    form = PinUntilForm(request.POST, prefix=f"a{thread.pk}")
    if not form.is_valid():
        return render_highlights_page(request, community, form=form, form_for=thread.pk)  # with what they typed
    try:
        thread_actions.announcement_pin(thread=thread, actor=request.user, until=form.until_moment())
    except highlights.HighlightsError as error:
        messages.error(request, str(error))
    else:
        day = form.cleaned_data["until"]
        until = "until you unpin it" if day is None else f"until the end of {day:%-d %B %Y}"
        messages.success(request, f"“{thread.title}” stays pinned {until}.")
    return redirect(highlights_url(community))


@require_POST
@login_required
def unpin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = acting_facilitator_of(request, slug)
    if isinstance(community, HttpResponse):
        return community
    thread = thread_in(community, pk)
    try:
        thread_actions.announcement_unpin(thread=thread, actor=request.user)
    except highlights.HighlightsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{thread.title}” is no longer pinned.")
    return redirect(highlights_url(community))
