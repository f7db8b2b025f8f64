"""Importing a mailing-list archive into a community: the upload page, the progress
and preview page (a reload shows the latest counts; static/js/import-progress.js
keeps it current without one),
and the publish, resume and remove buttons. Facilitators, owners and site admins only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.views_manage import _managed
from notifications import archive_services as services
from notifications.forms import ArchiveUploadForm
from notifications.models import ArchiveImport

PREVIEW_THREADS = 50  # threads listed on the preview; the rest are counted


@require_http_methods(["GET", "POST"])
@login_required
def archive_import_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    form = ArchiveUploadForm(request.POST, request.FILES) if request.method == "POST" else ArchiveUploadForm()
    if request.method == "POST" and form.is_valid():
        batch = services.archive_import_start(
            community=community, by=request.user, upload=form.cleaned_data["archive"]
        )
        return redirect("archive_import_detail", slug=community.slug, pk=batch.pk)
    imports = ArchiveImport.objects.filter(community=community).select_related("created_by").order_by("-created_at")
    context = {"community": community, "form": form, "imports": imports[:20]}
    return render(request, "notifications/archive_import_list.html", context, status=400 if form.errors else 200)


def _managed_import(request: HttpRequest, slug: str, pk: int):
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community, None
    batch = get_object_or_404(ArchiveImport.objects.select_related("created_by"), pk=pk, community=community)
    batch.community = community
    return community, batch


@require_GET
@login_required
def archive_import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community, batch = _managed_import(request, slug, pk)
    if batch is None:
        return community
    threads = services.import_threads(batch).order_by("created_at", "pk")
    left = services.time_left(batch)
    context = {
        "community": community,
        "batch": batch,
        "threads": threads.only("pk", "slug", "title", "created_at", "reply_count")[:PREVIEW_THREADS],
        "minutes_left": None if left is None else max(1, round(left.total_seconds() / 60)),
        "refusals": [line for line in batch.refusals.split("\n") if line],
        "can_resume": services.can_resume(batch),
        "can_remove": services.can_remove(batch),
    }
    return render(request, "notifications/archive_import_detail.html", context)


def _act(request: HttpRequest, slug: str, pk: int, action, done: str) -> HttpResponse:
    community, batch = _managed_import(request, slug, pk)
    if batch is None:
        return community
    try:
        result = action(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("archive_import_detail", slug=slug, pk=pk)
    messages.success(request, done.format(result))
    if action is services.archive_import_remove:
        return redirect("archive_import_list", slug=slug)
    return redirect("archive_import_detail", slug=slug, pk=pk)


@require_POST
@login_required
def archive_import_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, services.archive_import_publish, "Published: {} threads are now in the community")


@require_POST
@login_required
def archive_import_resume(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, services.archive_import_resume, "The import will carry on where it stopped")


@require_POST
@login_required
def archive_import_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act(request, slug, pk, services.archive_import_remove, "The import and everything it made were removed")
