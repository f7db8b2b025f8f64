"""Pages for a community's records: its retention rule, and exports (start one, watch
its progress, download it). Hidden communities answer 404; people who can see the
community but not act get 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import permissions
from communities.models import Community
from core.views import forbidden
from records import exports, retention
from records.forms import ExportForm, RetentionRuleForm
from records.models import ArchivedThread, CommunityExport, RetentionLimits, RetentionRule

NOT_AN_OWNER = "Only the owners of {} and site admins can export it."


@require_http_methods(["GET", "POST"])
@login_required
def retention_rule(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_view_retention(request.user, community):
        return forbidden(request, f"Only the facilitators of {community.name} can see its retention rule.")
    may_change = permissions.can_set_retention(request.user, community)
    if request.method == "POST" and not may_change:
        return forbidden(request, f"Only the owners of {community.name} and site admins can change it.")
    rule = RetentionRule.objects.filter(community=community).first() or RetentionRule(community=community)
    hold = permissions.can_set_legal_hold(request.user)
    initial = {
        "archive_after_years": rule.archive_after_years,
        "delete_after_years": rule.delete_after_years,
        "legal_hold": rule.legal_hold,
        "legal_hold_reason": rule.legal_hold_reason,
    }
    form = RetentionRuleForm(request.POST or None, initial=initial, limits=RetentionLimits.current(), legal_hold=hold)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            retention.retention_rule_set(
                community=community,
                actor=request.user,
                archive_after_years=data["archive_after_years"],
                delete_after_years=data["delete_after_years"],
                legal_hold=data["legal_hold"] if hold else None,
                legal_hold_reason=data.get("legal_hold_reason", "").strip(),
            )
        except retention.RetentionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Retention rule saved.")
            return redirect("retention_rule", slug=community.slug)
    context = {
        "community": community,
        "rule": rule,
        "form": form,
        "may_change": may_change,
        "may_export": permissions.can_export_community(request.user, community),
        "archived_count": ArchivedThread.objects.filter(thread__community=community).count(),
    }
    return render(request, "records/retention.html", context)


def _exportable(request: HttpRequest, slug: str) -> Community | HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_export_community(request.user, community):
        return forbidden(request, NOT_AN_OWNER.format(community.name))
    return community


def _export_list(request: HttpRequest, community: Community, form: ExportForm, status: int = 200) -> HttpResponse:
    recent = CommunityExport.objects.filter(community=community, requested_by=request.user).only(
        "pk", "status", "created_at", "date_from", "date_to", "expires_at", "community_id"
    )[:10]
    context = {"community": community, "form": form, "recent": recent}
    return render(request, "records/exports.html", context, status=status)


@require_GET
@login_required
def export_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = _exportable(request, slug)
    if isinstance(community, HttpResponse):
        return community
    return _export_list(request, community, ExportForm())


@require_POST
@login_required
def export_start(request: HttpRequest, slug: str) -> HttpResponse:
    community = _exportable(request, slug)
    if isinstance(community, HttpResponse):
        return community
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _export_list(request, community, form, status=400)
    try:
        export = exports.export_request(
            community=community,
            actor=request.user,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    except exports.ExportError as error:
        form.add_error(None, str(error))
        return _export_list(request, community, form, status=400)
    return redirect("export_detail", slug=community.slug, pk=export.pk)


def _own_export(request: HttpRequest, community: Community, pk: int) -> CommunityExport:
    """An export is the requester's: anyone else gets 404, as if it did not exist."""
    return get_object_or_404(CommunityExport, community=community, pk=pk, requested_by=request.user)


@require_GET
@login_required
def export_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _exportable(request, slug)
    if isinstance(community, HttpResponse):
        return community
    export = _own_export(request, community, pk)
    context = {
        "community": community,
        "export": export,
        "range": exports.describe_range(export.date_from, export.date_to),
        "refresh_url": reverse("export_detail", kwargs={"slug": slug, "pk": pk}),
    }
    return render(request, "records/export_detail.html", context)


@require_GET
@login_required
def export_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _exportable(request, slug)
    if isinstance(community, HttpResponse):
        return community
    export = _own_export(request, community, pk)
    if not export.is_downloadable:
        raise Http404("No such export, or it has expired")
    filename = f"{community.slug}-export-{export.created_at:%Y-%m-%d}.zip"
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
