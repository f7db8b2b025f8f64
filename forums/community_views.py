"""The community directory and a community's home page: both list what the forums hold
(signs of life, threads), so they live here rather than in communities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from communities import permissions, selectors
from communities.forms import DirectoryForm
from communities.models import Community
from communities.page_cache import cache_key_for, cached_page
from core.tags import with_tag_lists
from forums import health
from forums.forms import ThreadFilterForm
from forums.highlights import MOST_FEATURED, featured_threads
from forums.selectors import community_thread_list


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    def render_page(kept_context: dict) -> str:
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
            **kept_context,
        }
        body = render_to_string("communities/_directory_body.html", context, request=request)
        return render_to_string("communities/directory.html", {"body": body, **kept_context}, request=request)

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
    return cache_key_for(facts)


@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for(request.user, slug)
    context, viewer = None, "visitor"  # visitors all see the same: worked out only if not cached
    if request.user.is_authenticated:
        context = _home_context(request, community)
        viewer = _member_facts(request.user, context)

    def render_page(kept_context: dict) -> str:
        page_context = context if context is not None else _home_context(request, community)
        page_context = {**page_context, "facilitators": selectors.facilitators(community), **kept_context}
        # Only on a miss: any thread featured or not moves the community's version on.
        page_context["featured"] = list(featured_threads(community)[:MOST_FEATURED])
        body = render_to_string("communities/_home_body.html", page_context, request=request)
        return render_to_string(
            "communities/home.html", {"community": community, "body": body, **kept_context}, request
        )

    # Anything on the page changing moves the community's content_version on
    # (forums/migrations/0003). Members share their copy with those who see the same.
    params = [*ThreadFilterForm.base_fields, "page"]
    name, version = f"community-home:{community.pk}", str(community.content_version)
    return cached_page(request, name, render_page, params=params, version=version, viewer=viewer)
