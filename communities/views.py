"""The directory, a community's home, joining and leaving, and proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import health, permissions, selectors, services
from communities.forms import DirectoryForm, ProposeForm, ReasonForm
from communities.models import Community
from communities.page_cache import cached_page, fingerprint
from core.once import repeat_url, submit_once
from core.tags import with_tag_lists
from core.views import forbidden
from forums.forms import ThreadFilterForm
from forums.highlights import MOST_FEATURED, featured_threads
from forums.selectors import community_thread_list


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    def render_page(extra: dict) -> str:
        form = DirectoryForm(request.GET or None, topics=selectors.directory_topics(request.user))
        filters = form.filters()
        communities = selectors.directory_communities(request.user, **filters)
        page_obj = selectors.paginate(communities, request.GET.get("page"))
        page_obj.object_list = with_tag_lists(page_obj.object_list)
        signs = health.signs_of_life([community.pk for community in page_obj.object_list])
        for community in page_obj.object_list:
            community.signs_of_life = signs[community.pk]
        context = {
            "form": form,
            "filters": filters,
            "page_obj": page_obj,
            "can_propose": permissions.can_propose_community(request.user),
            "can_review": permissions.can_review_proposals(request.user),
            **extra,
        }
        body = render_to_string("communities/_directory_body.html", context, request=request)
        return render_to_string("communities/directory.html", {"body": body, **extra}, request=request)

    # It says how long ago each community was active: a minute at most behind.
    return cached_page(request, "directory", render_page, params=[*DirectoryForm.base_fields, "page"], timeout=60)


def _home_context(request: HttpRequest, community: Community) -> dict:
    user = request.user
    context = {
        "community": community,
        "membership": permissions.membership_for(user, community),
        "can_join": permissions.can_join(user, community),
        "can_leave": permissions.can_leave(user, community),
        "can_post": permissions.can_post_in(user, community),
        "can_moderate": permissions.can_moderate(user, community),
        "last_owner": permissions.is_last_owner(user, community),
    }
    context.update(community_thread_list(request, community))
    return context


def _member_facts(user, context: dict) -> str:
    """All a member's copy of the page shows that depends on who they are: their
    membership and rights, and the rows of the thread list with their unread marks."""
    membership = context["membership"]
    facts = [
        user.is_approved,
        membership and (membership.status, membership.role),
        *(context[name] for name in ("can_join", "can_leave", "can_post", "can_moderate", "last_owner")),
        *(context[name] for name in ("can_start_thread", "can_manage_tags", "filtered")),
        context["page_obj"].number,
        context["page_obj"].paginator.count,
        context["thread_rows"].keys,
    ]
    return fingerprint(facts)


@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    context, viewer = None, "visitor"  # visitors all see the same: worked out only if not cached
    if request.user.is_authenticated:
        context = _home_context(request, community)
        viewer = _member_facts(request.user, context)

    def render_page(extra: dict) -> str:
        page_context = context if context is not None else _home_context(request, community)
        page_context = {**page_context, "facilitators": selectors.facilitators(community), **extra}
        # Only on a miss: any thread featured or not moves the community's version on.
        page_context["featured"] = list(featured_threads(community)[:MOST_FEATURED])
        body = render_to_string("communities/_home_body.html", page_context, request=request)
        return render_to_string("communities/home.html", {"community": community, "body": body, **extra}, request)

    # Anything on the page changing moves the community's content_version on
    # (forums/migrations/0003). Members share their copy with those who see the same.
    params = [*ThreadFilterForm.base_fields, "page"]
    name, version = f"community-home:{community.pk}", str(community.content_version)
    return cached_page(request, name, render_page, params=params, version=version, viewer=viewer)


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
