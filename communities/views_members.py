"""The members page (issue 22): members see who belongs (name, organisation, role,
joined); facilitators also see status and the email addresses they may see, filter
by role and status, manage people, and download the list as CSV."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from communities import permissions, selectors
from communities.forms_settings import MemberFilterForm
from communities.models import Community, Membership
from core.spreadsheets import spreadsheet_safe
from core.views import forbidden

CSV_HEADER = ["Name", "Username", "Organisation", "Role", "Status", "Joined", "Email"]


def _member_list_community(request: HttpRequest, slug: str) -> Community:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_view_member_list(request.user, community):
        raise Http404("No such page")
    return community


def _with_emails(viewer, memberships) -> None:
    for membership in memberships:
        membership.shown_email = membership.user.email if permissions.can_see_email(viewer, membership.user) else ""


@require_GET
@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    community = _member_list_community(request, slug)
    details = permissions.can_view_member_details(request.user, community)
    form = MemberFilterForm(request.GET or None)
    filters = form.filters() if details else {}
    page_obj = selectors.paginate(
        selectors.member_list_for(community, details=details, **filters), request.GET.get("page")
    )
    if details:
        _with_emails(request.user, page_obj)
        for membership in page_obj:
            membership.community = community  # the rules read it; saves a query a row
            membership.can_manage = permissions.can_manage_member(request.user, membership)
            membership.can_change_role = permissions.can_change_role(request.user, membership)
    context = {
        "community": community,
        "page_obj": page_obj,
        "details": details,
        "form": form,
        "filtered": any(filters.values()),
        "role_choices": Membership.Role.choices,
        "request_count": selectors.pending_request_count(community) if details else 0,
    }
    return render(request, "communities/members/list.html", context)


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer rows."""

    def write(self, value: str) -> str:
        return value


@require_GET
@login_required
def members_csv(request: HttpRequest, slug: str) -> HttpResponse:
    community = _member_list_community(request, slug)
    if not permissions.can_view_member_details(request.user, community):
        return forbidden(request, f"Only the facilitators of {community.name} can download its member list.")
    form = MemberFilterForm(request.GET or None)
    memberships = selectors.member_list_for(community, details=True, **form.filters())
    viewer, writer = request.user, csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_HEADER)
        for membership in memberships.iterator(chunk_size=500):
            user = membership.user
            joined = membership.joined_at or membership.created_at
            row = [
                user.name,
                user.username,
                user.organisation_name,
                membership.get_role_display(),
                membership.get_status_display(),
                timezone.localtime(joined).date().isoformat(),
                user.email if permissions.can_see_email(viewer, user) else "",
            ]
            # Names and organisations are member-written: a spreadsheet must not run them.
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    name = f"members-{community.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
