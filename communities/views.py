"""Joining and leaving a community, and proposals. (The directory and a community's
home list threads, so they live in forums/community_views.py.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import permissions, selectors, services
from communities.forms import ProposeForm, ReasonForm
from communities.models import Community
from core.once import repeat_url, submit_once
from core.views import forbidden


@require_POST
@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_join(request.user, community):
        return forbidden(request, f"You cannot join {community.name} from here.")
    try:
        membership = services.membership_join(community=community, user=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect(community)
    if membership.is_active:
        messages.success(request, f"You have joined {community.name}.")
        if community.welcome_message_html:
            return redirect("community_welcome", slug=community.slug)
    else:
        messages.success(request, f"You have asked to join {community.name}. A facilitator will reply by email.")
    return redirect(community)


@require_POST
@login_required
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_leave(request.user, community):
        return forbidden(request, f"You are not a member of {community.name}.")
    try:
        services.membership_leave(community=community, user=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect(community)
    messages.success(request, f"You have left {community.name}.")
    if permissions.can_view_community(request.user, community):
        return redirect(community)
    return redirect("community_directory")


@require_http_methods(["GET", "POST"])
@login_required
def propose(request: HttpRequest) -> HttpResponse:
    if not permissions.can_propose_community(request.user):
        return forbidden(request, "You can propose a community once your account has been approved.")
    if request.method == "POST" and (earlier := repeat_url(request)):
        return redirect(earlier)  # sent twice: the name is taken now, by the first
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = submit_once(
            request,
            form,
            lambda: services.community_propose(proposer=request.user, **form.cleaned_data),
            lambda community: community.get_absolute_url(),
        )
        if sent is not None:
            if sent.made:
                messages.success(request, "Thank you. A site administrator will review your proposal and email you.")
            return redirect(sent.url)
    return render(request, "communities/propose.html", {"form": form})


@require_GET
@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    if not permissions.can_review_proposals(request.user):
        return forbidden(request, "Only site administrators review proposed communities.")
    page_obj = selectors.paginate(selectors.proposals(), request.GET.get("page"))
    return render(request, "communities/proposals.html", {"page_obj": page_obj})


def _proposal(request: HttpRequest, slug: str) -> Community:
    return get_object_or_404(Community, slug=slug, status=Community.Status.PROPOSED)


@require_POST
@login_required
def proposal_approve(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_review_proposals(request.user):
        return forbidden(request, "Only site administrators review proposed communities.")
    try:
        community = services.community_approve(community=_proposal(request, slug), actor=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{community.name} is open. Its proposer is now its owner.")
    return redirect("community_proposals")


@require_http_methods(["GET", "POST"])
@login_required
def proposal_decline(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_review_proposals(request.user):
        return forbidden(request, "Only site administrators review proposed communities.")
    community = _proposal(request, slug)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.community_decline(community=community, actor=request.user, reason=form.cleaned_data["reason"])
        except services.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"You declined {community.name}. We have emailed the proposer.")
        return redirect("community_proposals")
    context = {
        "form": form,
        "community": community,
        "heading": f"Decline {community.name}",
        "intro": "Say why, so the proposer can improve it or find an existing community. We will email them.",
        "button": "Decline proposal",
        "cancel_url": reverse("community_proposals"),
    }
    return render(request, "communities/reason.html", context)
