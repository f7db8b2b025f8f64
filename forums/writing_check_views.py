"""The plain-English check as an HTML fragment, for static/js/writing-check.js to show
while the author types. Without JavaScript the same advice comes with the preview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from communities.permissions import get_community_for
from core.views import forbidden
from forums.writing_check import WritingCheckForm, may_check_writing, writing_check
from members.decorators import rate_limited


@login_required
@require_POST
@rate_limited("writing_check")
def writing_check_fragment(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    if not may_check_writing(request.user, community):
        return forbidden(request, "Only members of this community can post here.")
    form = WritingCheckForm(request.POST)
    if not form.is_valid():
        context = {"errors": [error for errors in form.errors.values() for error in errors]}
        return render(request, "forums/_writing_check_error.html", context, status=400)
    body = form.cleaned_data["body"]
    # Nothing typed, nothing to say: an empty fragment clears the advice.
    report = writing_check(body, community) if body.strip() else None
    return render(request, "forums/_plain_english.html", {"plain_english": report, "live": True})
