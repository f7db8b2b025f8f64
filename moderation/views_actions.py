"""Facilitator actions on threads (rename, move, hide, restore, merge, split) and on
members (warn, mute, pre-moderate, ban; suspend a site account)."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.models import Community, community_access
from communities.permissions import can_manage_member, can_manage_thread, can_view_thread, membership_for
from forums.models import Thread
from forums.selectors import get_thread_for
from members.models import User
from moderation import selectors, services
from moderation.forms import (
    MergeForm,
    MoveForm,
    MuteForm,
    OptionalReasonForm,
    ReasonForm,
    RenameForm,
    SplitForm,
    WarnForm,
)
from moderation.models import MemberSanction
from moderation.views import get_community_to_moderate, get_post_to_moderate, require_site_admin

# Threads -----------------------------------------------------------------------------


def get_thread_to_moderate(user, pk: int) -> Thread:
    thread = get_thread_for(user, pk)
    if not can_manage_thread(user, thread):
        raise PermissionDenied("Only the community's facilitators can do this.")
    return thread


def _movable_to(user, thread: Thread):
    """Live communities the user moderates, other than the thread's own."""
    communities = Community.objects.filter(status=Community.Status.ACTIVE).exclude(pk=thread.community_id)
    if user.is_site_admin:
        return communities.order_by("name")
    return communities.filter(pk__in=community_access(user).moderated).order_by("name")


def _thread_page(request: HttpRequest, thread: Thread, status: int = 200, **bound) -> HttpResponse:
    forms = {
        "rename_form": RenameForm(initial={"title": thread.title}, prefix="rename"),
        "move_form": MoveForm(communities=_movable_to(request.user, thread), prefix="move"),
        "visibility_form": OptionalReasonForm(prefix="visibility"),
        "merge_form": MergeForm(prefix="merge"),
    }
    forms.update(bound)
    return render(request, "moderation/thread.html", {"thread": thread, **forms}, status=status)


def _done(request: HttpRequest, thread: Thread, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("thread_moderate", pk=thread.pk)


@login_required
@require_GET
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, get_thread_to_moderate(request.user, pk))


@login_required
@require_POST
def thread_rename(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_to_moderate(request.user, pk)
    form = RenameForm(request.POST, prefix="rename")
    if not form.is_valid():
        return _thread_page(request, thread, rename_form=form)
    services.thread_rename(thread=thread, actor=request.user, **form.cleaned_data)
    return _done(request, thread, "Thread renamed.")


@login_required
@require_POST
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_to_moderate(request.user, pk)
    form = MoveForm(request.POST, communities=_movable_to(request.user, thread), prefix="move")
    if not form.is_valid():
        return _thread_page(request, thread, move_form=form)
    target = form.cleaned_data["community"]
    services.thread_move(thread=thread, actor=request.user, to_community=target, reason=form.cleaned_data["reason"])
    return _done(request, thread, f"Thread moved to {target.name}.")


def _visibility(request: HttpRequest, pk: int, *, hide: bool) -> HttpResponse:
    thread = get_thread_to_moderate(request.user, pk)
    form = OptionalReasonForm(request.POST, prefix="visibility")
    if not form.is_valid():
        return _thread_page(request, thread, visibility_form=form)
    change = services.thread_hide if hide else services.thread_restore
    try:
        change(thread=thread, actor=request.user, reason=form.cleaned_data["reason"])
    except services.ModerationError as error:
        messages.error(request, str(error))
        return redirect("thread_moderate", pk=thread.pk)
    return _done(request, thread, "Thread hidden." if hide else "Thread restored.")


@login_required
@require_POST
def thread_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _visibility(request, pk, hide=True)


@login_required
@require_POST
def thread_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _visibility(request, pk, hide=False)


@login_required
@require_POST
def thread_merge(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_to_moderate(request.user, pk)
    form = MergeForm(request.POST, prefix="merge")
    target = None
    if form.is_valid():
        target = Thread.objects.select_related("community").filter(pk=form.cleaned_data["target"]).first()
        if target is None or not (can_view_thread(request.user, target) and can_manage_thread(request.user, target)):
            form.add_error("target", "Enter the number of a thread in a community you facilitate")
        elif target.pk == thread.pk:
            form.add_error("target", "Enter the number of a different thread")
    if not form.is_valid():
        return _thread_page(request, thread, merge_form=form)
    target = services.thread_merge(
        source=thread, target=target, actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, f"Thread merged into “{target.title}”.")
    return redirect("thread_moderate", pk=target.pk)


@login_required
@require_http_methods(["GET", "POST"])
def post_split(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_to_moderate(request.user, pk)
    if not can_manage_thread(request.user, post.thread):
        raise PermissionDenied("This community is archived.")
    if post.is_opening:
        raise Http404("The opening post already starts its thread")
    form = SplitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = services.thread_split(post=post, actor=request.user, **form.cleaned_data)
        messages.success(request, "The reply and its replies are now a thread of their own.")
        return redirect("thread_moderate", pk=new.pk)
    return render(request, "moderation/split.html", {"post": post, "form": form})


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
    services.member_warn(community=community, user=member, actor=request.user, message=form.cleaned_data["message"])
    return _back(request, community, member, f"Warning sent to {member.name}.")


@login_required
@require_POST
def member_mute(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    community, member = _target(request, slug, username)
    form = MuteForm(request.POST, prefix="mute")
    if not form.is_valid():
        return _sanctions_page(request, community, member, mute_form=form)
    until = timezone.make_aware(datetime.combine(form.cleaned_data["until"], time.min))
    services.member_mute(
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
    services.member_premoderate(
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
        services.member_ban(community=community, user=member, actor=request.user, reason=form.cleaned_data["reason"])
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
        services.sanction_lift(sanction=sanction, actor=request.user)
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
    change = services.user_suspend if suspend else services.user_reinstate
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
