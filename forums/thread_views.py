"""Facilitators' actions on a thread (pin, lock), a member's watch or mute, and a
community's tag settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.permissions import can_manage_thread, can_moderate, can_watch_thread, get_community_for, is_live
from core.views import forbidden
from forums.forms import ForumSettingsForm, LockForm, SubscriptionForm
from forums.models import CommunityForumSettings
from forums.selectors import get_thread_for
from forums.services import forum_settings_update, thread_lock, thread_pin, thread_subscribe

MANAGE_ONLY = "Only facilitators can pin or lock threads."


def _managed_thread(request: HttpRequest, pk: int):
    """The thread if the viewer may pin or lock it; None if they may only read it (404 otherwise)."""
    thread = get_thread_for(request.user, pk)
    return thread if can_manage_thread(request.user, thread) else None


@login_required
@require_POST
def thread_pin_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    thread_pin(thread=thread, by=request.user, pinned=True)
    messages.success(request, "The thread is pinned to the top of the community.")
    return redirect(thread)


@login_required
@require_POST
def thread_unpin_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    thread_pin(thread=thread, by=request.user, pinned=False)
    messages.success(request, "The thread is no longer pinned.")
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def thread_lock_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    form = LockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread_lock(thread=thread, by=request.user, locked=True, reason=form.cleaned_data["reason"])
        messages.success(request, "The thread is locked: nobody can reply.")
        return redirect(thread)
    return render(request, "forums/thread_lock.html", {"thread": thread, "form": form})


@login_required
@require_POST
def thread_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    thread_lock(thread=thread, by=request.user, locked=False)
    messages.success(request, "The thread is unlocked: members can reply again.")
    return redirect(thread)


@login_required
@require_POST
def thread_subscription(request: HttpRequest, pk: int) -> HttpResponse:
    """Watch (email every post), mute, or go back to the default for one thread."""
    thread = get_thread_for(request.user, pk)
    if not can_watch_thread(request.user, thread):
        return forbidden(request, "You cannot watch this thread.")
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose watch, mute or default.")
        return redirect(thread)
    level = form.cleaned_data["level"]
    thread_subscribe(thread=thread, user=request.user, level=None if level == "default" else level)
    labels = {"watching": "You are watching this thread.", "muted": "You have muted this thread."}
    messages.success(request, labels.get(level, "This thread follows your usual email choices."))
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def forum_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Facilitators choose whether the community uses only its own tags."""
    community = get_community_for(request.user, slug)
    if not (is_live(community) and can_moderate(request.user, community)):
        return forbidden(request, "Only facilitators can change the community's tags.")
    current = CommunityForumSettings.objects.filter(community=community).first()
    initial = {}
    if current:
        initial = {"restrict_tags": current.restrict_tags, "allowed_tags": current.allowed_tags}
        initial["jargon_words"] = current.jargon_words
    form = ForumSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        forum_settings_update(community=community, by=request.user, **form.cleaned_data)
        messages.success(request, "The community's tags and jargon list have been saved.")
        return redirect("forum_settings", slug=community.slug)
    return render(request, "forums/forum_settings.html", {"community": community, "form": form})
