"""Facilitator actions on a thread: pin, lock, rename, move, hide, restore, merge and
split (the services are in moderation/thread_actions.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.models import Community, community_access
from communities.permissions import can_manage_thread, can_view_thread
from core.views import forbidden
from forums.forms import LockForm
from forums.models import Thread
from forums.selectors import get_thread_for
from moderation import thread_actions
from moderation.forms import MergeForm, MoveForm, OptionalReasonForm, RenameForm, SplitForm
from moderation.services import ModerationError
from moderation.views import get_post_to_moderate

MANAGE_ONLY = "Only facilitators can pin or lock threads."


def _managed_thread(request: HttpRequest, pk: int):
    """The thread if the viewer may pin or lock it; None if they may only read it (404 otherwise)."""
    thread = get_thread_for(request.user, pk)
    return thread if can_manage_thread(request.user, thread) else None


@login_required
@require_POST
def thread_pin_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    thread_actions.thread_pin(thread=thread, actor=request.user, pinned=True)
    messages.success(request, "The thread is pinned to the top of the community.")
    return redirect(thread)


@login_required
@require_POST
def thread_unpin_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    thread_actions.thread_pin(thread=thread, actor=request.user, pinned=False)
    messages.success(request, "The thread is no longer pinned.")
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def thread_lock_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    form = LockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread_actions.thread_lock(thread=thread, actor=request.user, locked=True, reason=form.cleaned_data["reason"])
        messages.success(request, "The thread is locked: nobody can reply.")
        return redirect(thread)
    return render(request, "forums/thread_lock.html", {"thread": thread, "form": form})


@login_required
@require_POST
def thread_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _managed_thread(request, pk)
    if thread is None:
        return forbidden(request, MANAGE_ONLY)
    thread_actions.thread_lock(thread=thread, actor=request.user, locked=False)
    messages.success(request, "The thread is unlocked: members can reply again.")
    return redirect(thread)


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
    thread_actions.thread_rename(thread=thread, actor=request.user, **form.cleaned_data)
    return _done(request, thread, "Thread renamed.")


@login_required
@require_POST
def thread_move(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_to_moderate(request.user, pk)
    form = MoveForm(request.POST, communities=_movable_to(request.user, thread), prefix="move")
    if not form.is_valid():
        return _thread_page(request, thread, move_form=form)
    target = form.cleaned_data["community"]
    thread_actions.thread_move(
        thread=thread, actor=request.user, to_community=target, reason=form.cleaned_data["reason"]
    )
    return _done(request, thread, f"Thread moved to {target.name}.")


def _visibility(request: HttpRequest, pk: int, *, hide: bool) -> HttpResponse:
    thread = get_thread_to_moderate(request.user, pk)
    form = OptionalReasonForm(request.POST, prefix="visibility")
    if not form.is_valid():
        return _thread_page(request, thread, visibility_form=form)
    change = thread_actions.thread_hide if hide else thread_actions.thread_restore
    try:
        change(thread=thread, actor=request.user, reason=form.cleaned_data["reason"])
    except ModerationError as error:
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
    target = thread_actions.thread_merge(
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
        new = thread_actions.thread_split(post=post, actor=request.user, **form.cleaned_data)
        messages.success(request, "The reply and its replies are now a thread of their own.")
        return redirect("thread_moderate", pk=new.pk)
    return render(request, "moderation/split.html", {"post": post, "form": form})
