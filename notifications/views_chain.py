"""Start a thread from an email chain: paste the chain, preview the thread it makes
(a post per email, by its sender, in reply order), then publish or discard it. The
preview of a forwarded chain (by email to the community's posting address) is the same
page. The forwarder and the community's facilitators only; others get 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.permissions import get_community_for
from core.security import moderation_needs_two_factor
from forums.models import Post
from notifications import archive_services, chain_services
from notifications.forms_chain import ChainPasteForm
from notifications.models import ArchiveImport


@require_http_methods(["GET", "POST"])
@login_required
def chain_start(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    if not chain_services.may_start_chain(request.user, community):
        raise PermissionDenied
    form = ChainPasteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        found = chain_services.chain_messages_from_text(form.cleaned_data["chain"])
        try:
            batch = chain_services.chain_import_start(community=community, by=request.user, messages=found)
        except ValidationError as error:
            form.add_error("chain", error)
        else:
            return redirect("chain_detail", slug=community.slug, pk=batch.pk)
    context = {"community": community, "form": form, "post_domain": settings.POST_DOMAIN}
    return render(request, "notifications/chain_start.html", context, status=400 if form.errors else 200)


def _chain_for(request: HttpRequest, slug: str, pk: int) -> ArchiveImport:
    """The chain import, or 404 for anyone but its forwarder and the facilitators."""
    community = get_community_for(request.user, slug)
    batch = get_object_or_404(
        ArchiveImport.objects.select_related("created_by"), pk=pk, community=community, source="chain"
    )
    batch.community = community
    if not chain_services.may_manage_chain(request.user, batch):
        raise Http404("No such chain")
    return batch


def _two_factor_first(request: HttpRequest, batch: ArchiveImport) -> HttpResponse | None:
    """A facilitator acting on someone else's chain is moderating: STAFF_REQUIRE_2FA applies."""
    if batch.created_by_id == request.user.pk:
        return None
    return moderation_needs_two_factor(request)


@require_GET
@login_required
def chain_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    batch = _chain_for(request, slug, pk)
    if set_up := _two_factor_first(request, batch):
        return set_up
    posts = (
        Post.objects.filter(pk__in=batch.messages.values("post_id"))
        .select_related("author", "thread")
        .order_by("thread_id", "sort_path")
    )
    context = {
        "community": batch.community,
        "batch": batch,
        "posts": posts,
        "can_publish": batch.status == ArchiveImport.Status.READY
        and chain_services.may_publish_chain(request.user, batch),
    }
    return render(request, "notifications/chain_detail.html", context)


@require_POST
@login_required
def chain_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    batch = _chain_for(request, slug, pk)
    if set_up := _two_factor_first(request, batch):
        return set_up
    try:
        archive_services.archive_import_publish(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("chain_detail", slug=slug, pk=pk)
    thread = archive_services.import_threads(batch).order_by("created_at", "pk").first()
    messages.success(request, "Published: the conversation is now in the community")
    return redirect(thread.get_absolute_url() if thread else batch.community.get_absolute_url())


@require_POST
@login_required
def chain_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    batch = _chain_for(request, slug, pk)
    if set_up := _two_factor_first(request, batch):
        return set_up
    try:
        archive_services.archive_import_remove(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("chain_detail", slug=slug, pk=pk)
    messages.success(request, "The conversation was discarded. Nothing was published")
    return redirect(batch.community.get_absolute_url())
