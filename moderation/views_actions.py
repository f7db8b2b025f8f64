"""Facilitator actions on members (warn, mute, pre-moderate, ban; suspend a site
account). Actions on threads are in moderation/views_threads.py."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from communities.models import Community
from communities.permissions import can_manage_member, membership_for
from members.models import User
from moderation import member_actions, selectors, services
from moderation.forms import (
    MuteForm,
    ReasonForm,
    WarnForm,
)
from moderation.models import MemberSanction
from moderation.views import get_community_to_moderate, require_site_admin

# Members -----------------------------------------------------------------------------


def _sanctions_page(request: HttpRequest, community: Community, member: User, status: int = 200, **bound):
    membership = membership_for(member, community)
    context = {
        "community": community,
        "member": member,
        "membership": membership,
        "sanctions": selectors.member_sanctions(community=community, user=member),
        "warn_form": WarnForm(prefix="warn"),
        "mute_form": MuteForm(prefix="mute"),
        "premoderate_form": ReasonForm(prefix="premoderate"),
        "ban_form": ReasonForm(prefix="ban"),
        "suspend_form": ReasonForm(prefix="suspend"),
        **bound,
    }
    return render(request, "moderation/member.html", context, status=status)


def _target(request: HttpRequest, slug: str, username: str) -> tuple[Community, User]:
    """The community and one of its members (any status) whom the user may manage:
    404 for people with no membership here, 403 for themselves and for those they may
    not manage (only owners and site admins act on owners)."""
    community = get_community_to_moderate(request.user, slug)
    member = get_object_or_404(User, username=username)
    membership = membership_for(member, community)
    if membership is None:
        raise Http404("No such member")
    if member.pk == request.user.pk or not can_manage_member(request.user, membership):
        raise PermissionDenied("You cannot moderate this member.")
    return community, member


@login_required
@require_GET
def member_moderate(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    community, member = _target(request, slug, username)
    return _sanctions_page(request, community, member)


def _back(request, community, member, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("member_moderate", slug=community.slug, username=member.username)


@login_required
@require_POST
def member_warn(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    community, member = _target(request, slug, username)
    form = WarnForm(request.POST, prefix="warn")
    if not form.is_valid():
        return _sanctions_page(request, community, member, warn_form=form)
    member_actions.member_warn(
        community=community, user=member, actor=request.user, message=form.cleaned_data["message"]
    )
    return _back(request, community, member, f"Warning sent to {member.name}.")


@login_required
@require_POST
def member_mute(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    community, member = _target(request, slug, username)
    form = MuteForm(request.POST, prefix="mute")
    if not form.is_valid():
        return _sanctions_page(request, community, member, mute_form=form)
    until = timezone.make_aware(datetime.combine(form.cleaned_data["until"], time.min))
    member_actions.member_mute(
        community=community, user=member, actor=request.user, until=until, reason=form.cleaned_data["reason"]
    )
    return _back(
        request, community, member, f"{member.name} cannot post here until {form.cleaned_data['until']:%-d %B %Y}."
    )


@login_required
@require_POST
def member_premoderate(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    community, member = _target(request, slug, username)
    form = ReasonForm(request.POST, prefix="premoderate")
    if not form.is_valid():
        return _sanctions_page(request, community, member, premoderate_form=form)
    member_actions.member_premoderate(
        community=community, user=member, actor=request.user, reason=form.cleaned_data["reason"]
    )
    return _back(request, community, member, f"{member.name}'s posts will be held for review.")


@login_required
@require_POST
def member_ban(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    community, member = _target(request, slug, username)
    form = ReasonForm(request.POST, prefix="ban")
    if not form.is_valid():
        return _sanctions_page(request, community, member, ban_form=form)
    try:
        member_actions.member_ban(
            community=community, user=member, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except services.ModerationError as error:
        messages.error(request, str(error))
        return redirect("member_moderate", slug=community.slug, username=member.username)
    return _back(request, community, member, f"{member.name} is banned from {community.name}.")


@login_required
@require_POST
def sanction_lift(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(MemberSanction.objects.select_related("community", "user"), pk=pk)
    community, _ = _target(request, sanction.community.slug, sanction.user.username)
    try:
        member_actions.sanction_lift(sanction=sanction, actor=request.user)
    except services.ModerationError as error:
        messages.error(request, str(error))
        return redirect("member_moderate", slug=community.slug, username=sanction.user.username)
    return _back(request, community, sanction.user, "Lifted.")


def _account_change(request: HttpRequest, slug: str, username: str, *, suspend: bool) -> HttpResponse:
    require_site_admin(request.user)
    community, member = _target(request, slug, username)
    form = ReasonForm(request.POST, prefix="suspend")
    if suspend and not form.is_valid():
        return _sanctions_page(request, community, member, suspend_form=form)
    change = member_actions.user_suspend if suspend else member_actions.user_reinstate
    try:
        change(user=member, actor=request.user, reason=form.cleaned_data.get("reason", "") if form.is_valid() else "")
    except services.ModerationError as error:
        messages.error(request, str(error))
        return redirect("member_moderate", slug=community.slug, username=member.username)
    return _back(request, community, member, "Account suspended." if suspend else "Account reinstated.")


@login_required
@require_POST
def user_suspend(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    return _account_change(request, slug, username, suspend=True)


@login_required
@require_POST
def user_reinstate(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    return _account_change(request, slug, username, suspend=False)
