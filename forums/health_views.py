"""Community health: a community's figures for its facilitators (404 for everyone
else, like other pages no member sees), and every community's for site admins."""

from __future__ import annotations

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from communities import permissions
from core.spreadsheets import spreadsheet_safe
from core.views import forbidden
from forums import health

NOT_A_SITE_ADMIN = "Only site administrators can see every community's figures."
SORTS = {
    "name": lambda row: row.community.name.lower(),
    "new_members": lambda row: row.figures.new_members.value,
    "active_members": lambda row: row.figures.active_members.value,
    "new_threads": lambda row: row.figures.new_threads.value,
    "replies": lambda row: row.figures.replies.value,
    "questions": lambda row: row.figures.questions.value,
    "answered_share": lambda row: (
        row.figures.answered_share.value if row.figures.answered_share.value is not None else -1
    ),
    "median_first_reply": lambda row: row.figures.median_first_reply.value or 0,
    "waiting": lambda row: row.waiting,
}
# Figures where more is better sort largest first; the name and waits smallest first.
ASCENDING = {"name", "median_first_reply"}


class HealthTableForm(forms.Form):
    """The site admins' table: which period, sorted by which column."""

    days = forms.TypedChoiceField(choices=[(d, f"Last {d} days") for d in health.PERIODS], coerce=int, required=False)
    sort = forms.ChoiceField(choices=[(name, name) for name in SORTS], required=False)

    def choices(self) -> tuple[int, str]:
        if not self.is_valid():
            return 30, "name"
        return self.cleaned_data["days"] or 30, self.cleaned_data["sort"] or "name"


@require_GET
@login_required
def community_health(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_view_health(request.user, community):
        raise Http404("No such page")
    report = health.community_health(community)
    most = max([week["posts"] for week in report.weeks] + [1])
    for number, week in enumerate(report.weeks):
        # Bar geometry for the server-drawn chart: 100 units tall, 10 apart.
        week["height"] = round(100 * week["posts"] / most)
        week["x"] = number * 30 + 40
        week["y"] = 110 - week["height"]
    context = {
        "community": community,
        "report": report,
        "periods": list(report.periods.values()),
        "waiting_more": len(report.waiting) > health.WAITING_LISTED,
        "waiting": report.waiting[: health.WAITING_LISTED],
        "waiting_hours": int(health.WAITING_AFTER.total_seconds() // 3600),
        "helpers_days": health.HELPERS_PERIOD,
        "chart_width": health.WEEKS_CHARTED * 30 + 50,
        "most_posts": most,
    }
    return render(request, "communities/health.html", context)


def _table(request: HttpRequest) -> tuple[int, str, list[health.CommunityRow]]:
    days, sort = HealthTableForm(request.GET).choices()
    rows = health.all_communities(days)
    rows.sort(key=SORTS[sort], reverse=sort not in ASCENDING)
    return days, sort, rows


@require_GET
@login_required
def all_health(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_all_health(request.user):
        return forbidden(request, NOT_A_SITE_ADMIN)
    days, sort, rows = _table(request)
    columns = [
        ("name", "Community"),
        ("new_members", "New members"),
        ("active_members", "Active members"),
        ("new_threads", "New threads"),
        ("replies", "Replies"),
        ("questions", "Questions"),
        ("answered_share", "Answered"),
        ("median_first_reply", "Median time to first reply"),
        ("waiting", "Waiting over 48 hours"),
    ]
    context = {"rows": rows, "days": days, "sort": sort, "columns": columns, "periods": health.PERIODS}
    return render(request, "communities/health_all.html", context)


CSV_HEADER = [
    "Community",
    "Status",
    "Days",
    "New members",
    "New members before",
    "Active members",
    "Active members before",
    "New threads",
    "New threads before",
    "Replies",
    "Replies before",
    "Questions",
    "Questions before",
    "Answered (%)",
    "Answered before (%)",
    "Median time to first reply (minutes)",
    "Median before (minutes)",
    "Questions waiting over 48 hours",
]


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else str(round(seconds / 60))


def _blank(value) -> str:
    return "" if value is None else str(value)


@require_GET
@login_required
def all_health_csv(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_all_health(request.user):
        return forbidden(request, NOT_A_SITE_ADMIN)
    days, _, rows = _table(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="community-health-{days}-days-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in rows:
        f = row.figures
        cells = [row.community.name, row.community.get_status_display(), days]
        for figure in (f.new_members, f.active_members, f.new_threads, f.replies, f.questions):
            cells += [figure.value, figure.previous]
        cells += [_blank(f.answered_share.value), _blank(f.answered_share.previous)]
        cells += [_minutes(f.median_first_reply.value), _minutes(f.median_first_reply.previous), row.waiting]
        # Community names are typed by members: a name starting "=" must stay text.
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return response
