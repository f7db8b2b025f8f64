"""Pre-election period pages: the lists with their history, setting and cancelling a
period, and the review queue of the posts periods held (moderation/elections.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.permissions import can_view_community
from moderation import elections, selectors
from moderation.election_models import PreElectionPeriod
from moderation.forms_elections import PreElectionPeriodForm
from moderation.views import get_community_to_moderate, require_site_admin

PAGE_SIZE = 20


def _periods_page(request: HttpRequest, periods) -> object:
    periods = periods.select_related("community", "created_by", "cancelled_by")
    return Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
@require_GET
def site_periods(request: HttpRequest) -> HttpResponse:
    """Every period, site-wide and in each community, newest first."""
    require_site_admin(request.user)
    page_obj = _periods_page(request, PreElectionPeriod.objects.all())
    context = {"community": None, "page_obj": page_obj, "today": timezone.localdate(), "may_set": True}
    return render(request, "moderation/elections/periods.html", context)


@login_required
@require_GET
def community_periods(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's own periods and the site-wide ones, for its facilitators."""
    community = get_community_to_moderate(request.user, slug)
    page_obj = _periods_page(request, PreElectionPeriod.objects.for_community(community))
    may_set = elections.can_set_periods(request.user, community)
    context = {"community": community, "page_obj": page_obj, "today": timezone.localdate(), "may_set": may_set}
    return render(request, "moderation/elections/periods.html", context)


def _new_period(request: HttpRequest, community) -> HttpResponse:
    form = PreElectionPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = elections.period_create(by=request.user, community=community, **form.period_fields())
        messages.success(request, f"Pre-election period “{period.title}” set.")
        return redirect("community_periods", slug=community.slug) if community else redirect("site_periods")
    return render(request, "moderation/elections/period_new.html", {"community": community, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def site_period_new(request: HttpRequest) -> HttpResponse:
    require_site_admin(request.user)
    return _new_period(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def community_period_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_to_moderate(request.user, slug)
    if not elections.can_set_periods(request.user, community):
        raise PermissionDenied("Only the community's owners can set pre-election periods.")
    return _new_period(request, community)


@login_required
@require_POST
def period_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(PreElectionPeriod.objects.select_related("community"), pk=pk)
    community = period.community
    if community is None:
        require_site_admin(request.user)
    else:
        if not can_view_community(request.user, community):
            raise Http404("No such period")
        if not elections.can_set_periods(request.user, community):
            raise PermissionDenied("Only the community's owners can cancel its pre-election periods.")
    try:
        elections.period_cancel(period=period, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Pre-election period “{period.title}” cancelled.")
    return redirect("community_periods", slug=community.slug) if community else redirect("site_periods")


@login_required
@require_GET
def community_review_pre_election(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_to_moderate(request.user, slug)
    page_obj = selectors.review_queue_page(
        user=request.user, community=community, page_number=request.GET.get("page"), pre_election=True
    )
    context = {"community": community, "page_obj": page_obj, "pre_election": True}
    return render(request, "moderation/review.html", context)


@login_required
@require_GET
def site_review_pre_election(request: HttpRequest) -> HttpResponse:
    require_site_admin(request.user)
    page_obj = selectors.review_queue_page(
        user=request.user, community=None, page_number=request.GET.get("page"), pre_election=True
    )
    return render(request, "moderation/review.html", {"community": None, "page_obj": page_obj, "pre_election": True})
