"""Site admins' pages: the approvals queue, the members list and organisation import."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.spreadsheets import spreadsheet_safe
from members import selectors, services
from members.decorators import site_admin_required
from members.forms import OrganisationImportForm, RejectionForm, StaffMemberFilterForm, bound_data
from members.organisation_import import organisations_import

PAGE_SIZE = 20
CSV_COLUMNS = ["username", "name", "email", "status", "organisation", "type", "region", "job title", "joined"]


@require_GET
@site_admin_required
def staff_approvals(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.approval_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/staff/approvals.html", {"page_obj": page_obj})


@require_POST
@site_admin_required
def staff_approve(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_pending_member(pk)
    services.member_approve(member=member, by=request.user)
    messages.success(request, f"{member.name} is approved. We have emailed them.")
    return redirect("staff_approvals")


@require_http_methods(["GET", "POST"])
@site_admin_required
def staff_reject(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_pending_member(pk)
    form = RejectionForm(*bound_data(request, files=False))
    if request.method == "POST" and form.is_valid():
        services.member_reject(member=member, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{member.name} is rejected. We have emailed them the reason.")
        return redirect("staff_approvals")
    return render(request, "members/staff/reject.html", {"member": member, "form": form})


def _filtered_members(request: HttpRequest):
    form = StaffMemberFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.staff_members(filters)


@require_GET
@site_admin_required
def staff_members(request: HttpRequest) -> HttpResponse:
    form, members = _filtered_members(request)
    page_obj = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/staff/members.html", {"form": form, "page_obj": page_obj})


@require_GET
@site_admin_required
def staff_members_export(request: HttpRequest) -> HttpResponse:
    form, members = _filtered_members(request)
    if not form.is_valid():
        # Never export more than was asked for: show the filters' errors instead.
        return redirect(f"{reverse('staff_members')}?{request.GET.urlencode()}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="commsnet-members-{timezone.localdate()}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for member in members.iterator(chunk_size=500):
        organisation = member.organisation
        row = [
            member.username,
            member.name,
            member.email,
            member.get_status_display(),
            member.organisation_name,
            organisation.get_kind_display() if organisation else "",
            member.region,
            member.job_title,
            timezone.localtime(member.date_joined).date().isoformat(),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


@require_http_methods(["GET", "POST"])
@site_admin_required
def staff_organisation_import(request: HttpRequest) -> HttpResponse:
    form = OrganisationImportForm(*bound_data(request))
    report = None
    if request.method == "POST" and form.is_valid():
        report = organisations_import(upload=form.cleaned_data["file"])
        if report.error:
            form.add_error("file", report.error)
            report = None
    return render(request, "members/staff/organisation_import.html", {"form": form, "report": report})
