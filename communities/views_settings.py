"""A community's settings pages (issue 22): what facilitators change, and what only
owners change (visibility, join policy, archiving). People who do not facilitate
the community get 404 for every page here; facilitators get 403 with a reason for
the owners' actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import permissions
from communities import services_settings as services
from communities.forms_settings import AccessForm, ConfirmAccessForm, SettingsForm
from communities.models import Community
from core.views import forbidden

OWNERS_ONLY = "Only the owners of {} can change who can read it, how people join, or whether it is archived."


def _facilitated(request: HttpRequest, slug: str) -> Community:
    community = permissions.get_community_for(request.user, slug)
    if not permissions.can_change_settings(request.user, community):
        raise Http404("No such page")
    return community


def _owned(request: HttpRequest, slug: str) -> Community | HttpResponse:
    community = _facilitated(request, slug)
    if not permissions.can_change_access(request.user, community):
        return forbidden(request, OWNERS_ONLY.format(community.name))
    return community


def _initial(community: Community) -> dict:
    return {
        "description": community.description,
        "guidelines": community.guidelines,
        "topics": ", ".join(services.topic_names(community)),
        "welcome_message": community.welcome_message,
        "posting_address_enabled": community.posting_address_enabled,
        "announcements_by": community.announcements_by,
    }


def _changed_message(request: HttpRequest, changed: list[str]) -> None:
    if changed:
        messages.success(request, f"Saved: {', '.join(changed).lower()}.".capitalize())
    else:
        messages.info(request, "Nothing changed.")


@require_http_methods(["GET", "POST"])
@login_required
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    community = _facilitated(request, slug)
    address = f"{community.slug}@{settings.POST_DOMAIN}"
    form = SettingsForm(request.POST or None, initial=_initial(community), posting_address=address)
    if request.method == "POST" and form.is_valid():
        changed = services.community_settings_update(community=community, actor=request.user, **form.cleaned_data)
        _changed_message(request, changed)
        return redirect("community_settings", slug=community.slug)
    context = {
        "community": community,
        "form": form,
        "can_change_access": permissions.can_change_access(request.user, community),
    }
    return render(request, "communities/settings/settings.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def access(request: HttpRequest, slug: str) -> HttpResponse:
    """Visibility and join policy. Widening asks for confirmation, saying what becomes
    readable; narrowing is saved at once."""
    community = _owned(request, slug)
    if isinstance(community, HttpResponse):
        return community
    initial = {"visibility": community.visibility, "join_policy": community.join_policy}
    form = AccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        wider = services.widening(community, form.cleaned_data["visibility"])
        if wider is not None:
            context = {"community": community, "form": ConfirmAccessForm(initial=form.cleaned_data), "wider": wider}
            return render(request, "communities/settings/access_confirm.html", context)
        changed = services.community_access_update(community=community, actor=request.user, **form.cleaned_data)
        _changed_message(request, changed)
        return redirect("community_settings", slug=community.slug)
    return render(request, "communities/settings/access.html", {"community": community, "form": form})


@require_POST
@login_required
def access_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    community = _owned(request, slug)
    if isinstance(community, HttpResponse):
        return community
    form = ConfirmAccessForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who can read the community and how people join.")
        return redirect("community_access", slug=community.slug)
    changed = services.community_access_update(
        community=community, actor=request.user, confirmed=True, **form.cleaned_data
    )
    _changed_message(request, changed)
    return redirect("community_settings", slug=community.slug)


def _set_archived(request: HttpRequest, slug: str, *, archive: bool) -> HttpResponse:
    community = _owned(request, slug)
    if isinstance(community, HttpResponse):
        return community
    change = services.community_archive if archive else services.community_unarchive
    try:
        change(community=community, actor=request.user)
    except services.SettingsError as error:
        messages.error(request, str(error))
    else:
        done = "archived: it is read only" if archive else "open again: members can post"
        messages.success(request, f"{community.name} is {done}.")
    return redirect("community_settings", slug=community.slug)


@require_POST
@login_required
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    return _set_archived(request, slug, archive=True)


@require_POST
@login_required
def unarchive(request: HttpRequest, slug: str) -> HttpResponse:
    return _set_archived(request, slug, archive=False)


@require_GET
@login_required
def welcome(request: HttpRequest, slug: str) -> HttpResponse:
    """The welcome message, shown to a member just after they join."""
    community = permissions.get_community_for(request.user, slug)
    if not permissions.is_active_member(request.user, community) or not community.welcome_message_html:
        raise Http404("No such page")
    return render(request, "communities/settings/welcome.html", {"community": community})
