"""Moderation pages: report a post, the review queues and their actions, the log.
Thread and member actions are in moderation/views_actions.py."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.models import Community
from communities.permissions import can_manage_member, can_moderate, can_view_community, membership_for
from core.once import submit_once
from core.spreadsheets import spreadsheet_safe
from forums.models import Post
from forums.post_rules import can_flag_post
from forums.selectors import get_post_for
from forums.short_answers import short_answers_to_check
from moderation import member_actions, selectors, services
from moderation.forms import LogFilterForm, ReasonForm, ReportForm, SettingsForm
from moderation.models import Flag
from moderation.rules import settings_for


def get_community_to_moderate(user, slug: str) -> Community:
    """The community, 404 for people who may not see it, 403 for those who may see
    but not moderate it."""
    community = get_object_or_404(Community, slug=slug)
    if not can_view_community(user, community):
        raise Http404("No such community")
    if not can_moderate(user, community):
        raise PermissionDenied("Only the community's facilitators can do this.")
    return community


def get_post_to_moderate(user, pk: int) -> Post:
    post = get_post_for(user, pk)
    if not can_moderate(user, post.thread.community):
        raise PermissionDenied("Only the community's facilitators can do this.")
    return post


def require_site_admin(user) -> None:
    if not user.is_site_admin:
        raise Http404("No such page")


def back_to_queue(request: HttpRequest, community: Community) -> HttpResponse:
    """Back where the facilitator came from (the site queue or the community queue)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("community_review", slug=community.slug)


# Reporting ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    if not can_flag_post(request.user, post):
        raise PermissionDenied("You cannot report this post.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = reverse("post_redirect", kwargs={"pk": post.pk})
        try:
            sent = submit_once(
                request,
                form,
                lambda: services.flag_create(post=post, reporter=request.user, **form.cleaned_data),
                lambda flag: url,
            )
        except services.FlagAlreadyOpen as error:
            messages.info(request, str(error))
            return redirect(url)
        if sent is not None:
            if sent.made:
                messages.success(request, "Thank you. A facilitator will look at the post and we will email you.")
            return redirect(sent.url)
    return render(request, "moderation/report.html", {"post": post, "form": form})


@login_required
@require_GET
def my_moderated_posts(request: HttpRequest) -> HttpResponse:
    """The member's own held and hidden posts, with the facilitators' reasons."""
    page_obj = Paginator(selectors.own_moderated_posts(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "moderation/mine.html", {"page_obj": page_obj})


# Review queues ------------------------------------------------------------------------


@login_required
@require_GET
def community_review(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_to_moderate(request.user, slug)
    page_obj = selectors.review_queue_page(user=request.user, community=community, page_number=request.GET.get("page"))
    waiting = selectors.pre_election_waiting(user=request.user, community=community)
    context = {
        "community": community,
        "page_obj": page_obj,
        "pre_election_waiting": waiting,
        "short_answers_due": short_answers_to_check(community),
    }
    return render(request, "moderation/review.html", context)


@login_required
@require_GET
def site_review(request: HttpRequest) -> HttpResponse:
    require_site_admin(request.user)
    page_obj = selectors.review_queue_page(user=request.user, community=None, page_number=request.GET.get("page"))
    waiting = selectors.pre_election_waiting(user=request.user, community=None)
    context = {"community": None, "page_obj": page_obj, "pre_election_waiting": waiting}
    return render(request, "moderation/review.html", context)


@login_required
@require_POST
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_to_moderate(request.user, pk)
    try:
        services.post_approve(post=post, actor=request.user)
    except services.ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Post approved and published.")
    return back_to_queue(request, post.thread.community)


def _hide_view(request: HttpRequest, pk: int, *, ban: bool) -> HttpResponse:
    post = get_post_to_moderate(request.user, pk)
    community = post.thread.community
    if ban and not _may_ban_author(request.user, post):
        raise PermissionDenied("You cannot ban this member.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hide = member_actions.post_hide_and_ban if ban else services.post_hide
        try:
            hide(post=post, actor=request.user, reason=form.cleaned_data["reason"])
        except services.ModerationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Post hidden and its author banned." if ban else "Post hidden.")
        return back_to_queue(request, community)
    context = {"post": post, "form": form, "ban": ban, "next": request.GET.get("next", request.POST.get("next", ""))}
    return render(request, "moderation/hide.html", context)


def _may_ban_author(user, post: Post) -> bool:
    membership = membership_for(post.author, post.thread.community) if post.author else None
    return (
        post.author is not None
        and post.author_id != user.pk
        and (membership is None or can_manage_member(user, membership))
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_view(request, pk, ban=False)


@login_required
@require_http_methods(["GET", "POST"])
def post_hide_and_ban(request: HttpRequest, pk: int) -> HttpResponse:
    return _hide_view(request, pk, ban=True)


@login_required
@require_POST
def post_restore(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_to_moderate(request.user, pk)
    try:
        services.post_restore(post=post, actor=request.user)
    except services.ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Post restored.")
    return redirect(reverse("post_redirect", kwargs={"pk": post.pk}))


@login_required
@require_POST
def flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(Flag.objects.select_related("post"), pk=pk)
    post = get_post_to_moderate(request.user, flag.post_id)
    try:
        services.flag_dismiss(flag=flag, actor=request.user)
    except services.ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Report dismissed. The member who reported it has been told.")
    return back_to_queue(request, post.thread.community)


@login_required
@require_http_methods(["GET", "POST"])
def moderation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_to_moderate(request.user, slug)
    current = settings_for(community)
    initial = {"hold_first_posts": current.hold_first_posts, "premoderate_all": current.premoderate_all}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.moderation_settings_update(community=community, actor=request.user, **form.cleaned_data)
        messages.success(request, "Pre-moderation settings saved.")
        return redirect("community_review", slug=community.slug)
    return render(request, "moderation/settings.html", {"community": community, "form": form})


# The moderation log -------------------------------------------------------------------

CSV_HEADER = ["when", "community", "who", "action", "target type", "target id", "target", "from", "to", "reason"]


def _log_context(request: HttpRequest, community: Community | None) -> tuple[LogFilterForm, object]:
    form = LogFilterForm(request.GET or None, community_choice=community is None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.log_entries(community=community, filters=filters)


def _render_log(request: HttpRequest, community: Community | None) -> HttpResponse:
    form, entries = _log_context(request, community)
    page_obj = Paginator(entries, selectors.LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"community": community, "form": form, "page_obj": page_obj})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_log(request: HttpRequest, community: Community | None) -> StreamingHttpResponse:
    """The (filtered) log as CSV, streamed so a long history does not sit in memory."""
    _, entries = _log_context(request, community)
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_HEADER)
        for entry in entries.iterator(chunk_size=500):
            row = [
                timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                entry.community_name,
                entry.actor_name,
                entry.get_action_display(),
                entry.target_type,
                entry.target_id,
                entry.target_text,
                entry.from_state,
                entry.to_state,
                entry.reason,
            ]
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    name = f"moderation-log-{community.slug if community else 'all'}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def community_log(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_log(request, get_community_to_moderate(request.user, slug))


@login_required
@require_GET
def community_log_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    return _csv_log(request, get_community_to_moderate(request.user, slug))


@login_required
@require_GET
def site_log(request: HttpRequest) -> HttpResponse:
    require_site_admin(request.user)
    return _render_log(request, None)


@login_required
@require_GET
def site_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    require_site_admin(request.user)
    return _csv_log(request, None)
