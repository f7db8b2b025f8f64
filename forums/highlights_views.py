"""Facilitators choose featured threads, send the highlights email, and say how long
announcements stay pinned. The page is 404 for everyone else (like the health page);
its actions answer 403 with a reason to members who can see the community."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from communities import permissions
from communities.models import Community
from core.views import forbidden
from forums import highlights
from forums.models import Thread

NOT_A_FACILITATOR = "Only the facilitators of {} can choose its highlights and announcements."
RECENT_THREADS = 10


class PinUntilForm(forms.Form):
    until = forms.DateField(
        label="Keep pinned until the end of",
        required=False,
        help_text="For example, 27 3 2027. Leave it empty to keep it pinned until you unpin it.",
        error_messages={"invalid": "Enter a real date, for example 27 3 2027"},
        input_formats=["%d %m %Y", "%d/%m/%Y", "%Y-%m-%d"],
    )

    def clean_until(self):
        day = self.cleaned_data["until"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError("The date must be after today")
        return day

    def until_moment(self) -> datetime | None:
        day = self.cleaned_data["until"]
        return None if day is None else timezone.make_aware(datetime.combine(day, time.max))


def highlights_url(community: Community) -> str:
    return reverse("community_highlights", kwargs={"slug": community.slug})


def acting_facilitator_of(request: HttpRequest, slug: str) -> Community | HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_feature_threads(request.user, community):
        return forbidden(request, NOT_A_FACILITATOR.format(community.name))
    return community


def thread_in(community: Community, pk: int) -> Thread:
    return get_object_or_404(Thread.objects.select_related("community"), community=community, pk=pk)


@require_GET
@login_required
def highlights_page(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_moderate(request.user, community):
        raise Http404("No such page")
    return render_highlights_page(request, community)


def render_highlights_page(
    request: HttpRequest, community: Community, form=None, form_for: int | None = None
) -> HttpResponse:
    featured = list(highlights.featured_threads(community).select_related("author"))
    recent = (
        Thread.objects.filter(community=community, is_hidden=False, is_unpublished=False, featured_at__isnull=True)
        .select_related("author")
        .order_by("-last_activity_at", "-pk")[:RECENT_THREADS]
    )
    announcements = list(highlights.pinned_announcements(community))
    for thread in announcements:
        thread.form = form if form_for == thread.pk else PinUntilForm(prefix=f"a{thread.pk}")
    context = {
        "community": community,
        "featured": featured,
        "recent": recent,
        "announcements": announcements,
        "most": highlights.MOST_FEATURED,
        "can_act": permissions.can_feature_threads(request.user, community),
    }
    return render(request, "communities/highlights.html", context, status=400 if form_for else 200)


def _feature(request: HttpRequest, slug: str, pk: int, featured: bool) -> HttpResponse:
    community = acting_facilitator_of(request, slug)
    if isinstance(community, HttpResponse):
        return community
    thread = thread_in(community, pk)
    try:
        highlights.thread_feature(thread=thread, actor=request.user, featured=featured)
    except highlights.HighlightsError as error:
        messages.error(request, str(error))
    else:
        done = "is now featured" if featured else "is no longer featured"
        messages.success(request, f"“{thread.title}” {done}.")
    return redirect(highlights_url(community))


@require_POST
@login_required
def feature(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _feature(request, slug, pk, featured=True)


@require_POST
@login_required
def unfeature(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _feature(request, slug, pk, featured=False)


@require_POST
@login_required
def send(request: HttpRequest, slug: str) -> HttpResponse:
    community = acting_facilitator_of(request, slug)
    if isinstance(community, HttpResponse):
        return community
    try:
        highlights.highlights_send(community=community, actor=request.user)
    except highlights.HighlightsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "We are emailing the highlights to members who get them.")
    return redirect(highlights_url(community))
