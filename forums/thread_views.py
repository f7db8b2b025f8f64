"""A member's watch or mute of a thread, and a community's tag settings. Pin and lock
are with the other thread actions, in moderation/views_threads.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.permissions import can_moderate, can_watch_thread, get_community_for, is_live
from core.views import forbidden
from forums.forms import ForumSettingsForm, SubscriptionForm
from forums.models import CommunityForumSettings
from forums.selectors import get_thread_for
from forums.services import forum_settings_update, thread_subscribe


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
