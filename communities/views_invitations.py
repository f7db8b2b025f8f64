"""Inviting people (a pasted cc line or a CSV), the list of invitations, and the
page an emailed invitation link opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import invitation_services, invitations, selectors
from communities.forms import InviteForm, InviteListForm
from communities.models import Invitation
from communities.views_manage import _managed
from core.once import submit_once


def _invite_page(request: HttpRequest, community, form, report=None, status: int = 200) -> HttpResponse:
    context = {
        "community": community,
        "form": form,
        "report": report,
        "page_obj": selectors.paginate(selectors.invitation_list(community), request.GET.get("page")),
    }
    return render(request, "communities/invite.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """The form, and (posted) the preview of who would be invited: nothing is sent yet."""
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    if request.method == "GET":
        return _invite_page(request, community, InviteForm())
    form = InviteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invite_page(request, community, form)
    pasted = form.cleaned_data["pasted"]
    report = invitation_services.invitations_preview(
        community=community, inviter=request.user, recipients=pasted.recipients
    )
    report.invalid = pasted.invalid
    context = {
        "community": community,
        "report": report,
        "repeats": pasted.repeats,
        "carry": InviteListForm(initial={"addresses": form.cleaned_data["text"]}, auto_id=False),
    }
    return render(request, "communities/invite_preview.html", context)


@require_POST
@login_required
def invite_send(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Send N invitations" on the preview: the same list, read again and sent."""
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    listed = InviteListForm(request.POST)
    if not listed.is_valid():
        # The invite form, bound to the same list, shows why it was refused.
        return _invite_page(request, community, InviteForm({"addresses": listed.cleaned_data.get("text", "")}))
    pasted = listed.cleaned_data["pasted"]
    sent = submit_once(
        request,
        listed,
        lambda: invitation_services.invitations_send(
            community=community, inviter=request.user, recipients=pasted.recipients
        ),
        lambda report: reverse("community_invite", kwargs={"slug": community.slug}),
    )
    if sent is None:  # no token, or another member's: the list comes back with the reason
        form = InviteForm({"addresses": listed.cleaned_data["text"]})
        form.is_valid()
        for error in listed.non_field_errors():
            form.add_error(None, error)
        return _invite_page(request, community, form)
    if sent.made is None:  # sent twice: the list of invitations shows what the first sent
        messages.info(request, "These invitations have already been sent.")
        return redirect(sent.url)
    report = sent.made
    report.invalid = pasted.invalid
    return _invite_page(request, community, InviteForm(), report=report)


@require_POST
@login_required
def invite_change(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Change the list" on the preview: the invite form again, with the list as read."""
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    listed = InviteListForm(request.POST)
    listed.is_valid()
    return _invite_page(request, community, InviteForm(initial={"addresses": listed.cleaned_data.get("text", "")}))


def _invitation(community, pk: int) -> Invitation:
    return get_object_or_404(Invitation, community=community, pk=pk)


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    invitation = _invitation(community, pk)
    try:
        invitation_services.invitation_revoke(invitation=invitation, actor=request.user)
    except invitation_services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You withdrew the invitation to {invitation.email}.")
    return redirect("community_invite", slug=community.slug)


@require_POST
@login_required
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _managed(request, slug)
    if isinstance(community, HttpResponse):
        return community
    invitation = _invitation(community, pk)
    try:
        invitation_services.invitation_resend(invitation=invitation, actor=request.user)
    except invitation_services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"We sent a new invitation to {invitation.email}.")
    return redirect("community_invite", slug=community.slug)


@require_GET
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    """What an emailed link opens. Signed out: remember the invitation in the session
    and offer sign-up or sign-in (accepted once they are in). Signed in: accept."""
    invitation = invitation_services.invitation_for_token(token)
    if invitation is None or invitation.status == Invitation.Status.REVOKED or invitation.is_expired:
        return render(request, "communities/invitation_invalid.html", status=404)
    community = invitation.community
    if invitation.status == Invitation.Status.ACCEPTED:
        if request.user.is_authenticated and invitation.user_id == request.user.pk:
            return redirect(community)
        return render(request, "communities/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        invitations.remember(request, token)
    context = {
        "invitation": invitation,
        "community": community,
        "addressed_to_you": request.user.is_authenticated
        and invitation_services.invitation_addressed_to(invitation, request.user),
        "here": reverse("invitation_detail", kwargs={"token": token}),
    }
    return render(request, "communities/invitation.html", context)


@require_POST
@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_services.invitation_for_token(token)
    if invitation is None:
        return render(request, "communities/invitation_invalid.html", status=404)
    try:
        invitation_services.invitation_accept(invitation=invitation, user=request.user)
    except invitation_services.MembershipError as error:
        messages.error(request, str(error))
        return redirect("invitation_detail", token=token)
    invitations.forget(request)
    messages.success(request, f"You have joined {invitation.community.name}.")
    if invitation.community.welcome_message_html:
        return redirect("community_welcome", slug=invitation.community.slug)
    return redirect(invitation.community)
