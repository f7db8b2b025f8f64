"""Profiles, the member directory and a member's own settings."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import selectors, services
from members.decorators import rate_limited
from members.expertise import expertise_scores
from members.forms import DeleteAccountForm, DirectorySearchForm, ProfileForm, bound_data
from members.personal_data import export_member_data

PAGE_SIZE = 20


@require_GET
@login_required
def member_directory(request: HttpRequest) -> HttpResponse:
    if not selectors.may_use_directory(request.user):
        return render(request, "members/not_approved.html", status=403)
    form = DirectorySearchForm(request.GET)
    if not form.is_valid():  # the errors, and no list that looks like their results
        return render(request, "members/directory.html", {"form": form, "page_obj": None})
    filters = form.cleaned_data
    ranking = expertise_scores(request.user, filters["tag"]) if filters["sort"] == "expertise" else None
    members = selectors.directory_members(
        q=filters["q"].strip(), kind=filters["kind"], region=filters["region"], ranking=ranking
    )
    page_obj = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/directory.html", {"form": form, "page_obj": page_obj})


@require_GET
@login_required
def member_profile(request: HttpRequest, username: str) -> HttpResponse:
    member = selectors.get_profile_for(request.user, username)
    activity = selectors.profile_activity(viewer=request.user, member=member)
    context = {"member": member, "is_self": member.pk == request.user.pk, **activity}
    return render(request, "members/profile.html", context)


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@require_GET
@login_required
def profile_settings(request: HttpRequest) -> HttpResponse:
    links = {name: _optional_url(name) for name in ["email_settings", "account_email", "mfa_index"]}
    return render(request, "members/settings.html", {"links": links})


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(*bound_data(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            member=request.user,
            fields=form.profile_fields(),
            expertise=form.cleaned_data["expertise"],
            avatar=form.avatar_file,
            remove_avatar=form.cleaned_data.get("remove_avatar", False),
        )
        messages.success(request, "Your profile is saved.")
        return redirect("profile_settings")
    return render(request, "members/profile_edit.html", {"form": form})


@require_GET
@login_required
def data_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "members/data.html", {"form": DeleteAccountForm()})


@require_POST
@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    data = {"exported_at": timezone.now(), **export_member_data(request.user)}
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="commsnet-my-data.json"'
    return response


def _deletion_confirmed(request: HttpRequest) -> bool:
    # The box is checked before the password is asked for, not after.
    return DeleteAccountForm(request.POST).is_valid()


@require_POST
@login_required
@rate_limited("delete_account")
@reauthentication_required(app="allauth.account", enabled=_deletion_confirmed)
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(request, "members/data.html", {"form": form}, status=400)
    services.member_erase(member=request.user, by=request.user)
    logout(request)
    return redirect("account_deleted")


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "members/account_deleted.html")
