"""Facilitators' actions on members (roles, remove, ban) and join requests; the member
list itself is communities.views_members.
Hidden communities answer 404; people who can see but not manage get 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import permissions, selectors, services
from communities.forms import ReasonForm, RoleForm
from communities.models import Community, Membership
from core.views import forbidden

NOT_A_FACILITATOR = "Only the facilitators of {} can manage its members."


def _managed(request: HttpRequest, slug: str) -> Community | HttpResponse:
    """The community if the user moderates it; a 403 page if they only see it."""
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_moderate(request.user, community):
        return forbidden(request, NOT_A_FACILITATOR.format(community.name))
    return community


def _membership(community: Community, pk: int, **filters) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "community"), community=community, pk=pk, **filters
    )


def _members_url(community: Community) -> str:
    return reverse("community_members", kwargs={"slug": community.slug})


@require_POST
@login_required
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    membership = _membership(community, pk)
    if not permissions.can_change_role(request.user, membership):
        return forbidden(request, "Only owners can appoint facilitators and owners.")
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return redirect(_members_url(community))
    try:
        services.membership_change_role(membership=membership, actor=request.user, role=form.cleaned_data["role"])
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user.name} is now {membership.get_role_display().lower()}.")
    return redirect(_members_url(community))


@require_POST
@login_required
def remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    membership = _membership(community, pk)
    if not permissions.can_manage_member(request.user, membership):
        return forbidden(request, "You cannot remove this member.")
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user.name} is no longer in {community.name}.")
    return redirect(_members_url(community))


@require_http_methods(["GET", "POST"])
@login_required
def ban(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    membership = _membership(community, pk)
    if not permissions.can_manage_member(request.user, membership):
        return forbidden(request, "You cannot ban this member.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_ban(membership=membership, actor=request.user, reason=form.cleaned_data["reason"])
        except services.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{membership.user.name} is banned from {community.name}.")
        return redirect(_members_url(community))
    context = {
        "form": form,
        "community": community,
        "heading": f"Ban {membership.user.name}",
        "intro": f"They will leave {community.name} and cannot rejoin or post. We will email them your reason.",
        "button": "Ban member",
        "cancel_url": _members_url(community),
    }
    return render(request, "communities/reason.html", context)


@require_GET
@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    page_obj = selectors.paginate(selectors.pending_requests(community), request.GET.get("page"))
    return render(request, "communities/requests.html", {"community": community, "page_obj": page_obj})


@require_POST
@login_required
def request_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    membership = _membership(community, pk, status=Membership.Status.PENDING)
    try:
        services.membership_approve(membership=membership, actor=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user.name} has joined {community.name}. We have emailed them.")
    return redirect("community_requests", slug=community.slug)


@require_http_methods(["GET", "POST"])
@login_required
def request_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    membership = _membership(community, pk, status=Membership.Status.PENDING)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_decline(membership=membership, actor=request.user, reason=form.cleaned_data["reason"])
        except services.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"You declined {membership.user.name}’s request. We have emailed them.")
        return redirect("community_requests", slug=community.slug)
    context = {
        "form": form,
        "community": community,
        "heading": f"Decline {membership.user.name}’s request",
        "intro": "We will email them your reason. They can ask again later.",
        "button": "Decline request",
        "cancel_url": reverse("community_requests", kwargs={"slug": community.slug}),
    }
    return render(request, "communities/reason.html", context)
