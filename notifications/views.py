from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from notifications import selectors, services
from notifications.forms import EmailSettingsForm, PageForm
from notifications.inbound import INBOUND_VIEWS
from notifications.inbound_holds import HOLD_FOR, held_confirm, held_for_token
from notifications.inbound_reading import Rejected
from notifications.tokens import read_unsubscribe_token

PER_PAGE = 20


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    form = PageForm(request.GET)
    number = form.cleaned_data["page"] if form.is_valid() and form.cleaned_data["page"] else 1
    page_obj = Paginator(selectors.notification_page_items(request.user), PER_PAGE).get_page(number)
    return render(request, "notifications/list.html", {"page_obj": page_obj})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.visible_notifications(request.user).filter(pk=pk).exists():
        raise Http404
    services.notification_mark_read(user=request.user, notification_id=pk)
    messages.success(request, "Notification marked as read.")
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    messages.success(request, "All notifications marked as read.")
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    memberships = selectors.settings_memberships(request.user)
    kinds = selectors.kind_preferences(request.user)
    initial = {"immediate_kinds": [kind for kind, on in kinds.items() if on]}
    form = EmailSettingsForm(request.POST or None, memberships=memberships, initial=initial)
    if request.method == "POST" and form.is_valid():
        for community, mode in form.community_modes():
            services.community_email_mode_set(user=request.user, community=community, mode=mode)
        services.email_kind_preferences_set(user=request.user, immediate_kinds=form.cleaned_data["immediate_kinds"])
        messages.success(request, "Your email settings have been saved.")
        return redirect("email_settings")
    context = {
        "form": form,
        "watched": selectors.thread_subscriptions(request.user, "watching"),
        "muted": selectors.thread_subscriptions(request.user, "muted"),
        "all_stopped": selectors.email_stopped(request.user),
        "opt_outs": selectors.email_opt_outs(request.user),
    }
    return render(request, "notifications/email_settings.html", context)


@login_required
@require_POST
def thread_unwatch(request: HttpRequest, thread_id: int) -> HttpResponse:
    if not services.thread_unwatch(user=request.user, thread_id=thread_id):
        raise Http404
    messages.success(request, "Done. That thread is back to your usual email settings.")
    return redirect("email_settings")


@login_required
@require_POST
def email_opt_out_undo(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.occasional_email_opt_in(user=request.user, opt_out_id=pk):
        raise Http404
    messages.success(request, "Done. We will send you that email again.")
    return redirect("email_settings")


@login_required
@require_POST
def reply_addresses_revoke(request: HttpRequest) -> HttpResponse:
    """For a member whose emails were forwarded or leaked: every reply address we have
    sent them stops working; emails from now on carry new ones."""
    services.reply_addresses_revoke(user=request.user)
    messages.success(request, "Done. Replies to emails we sent you before now will not be posted.")
    return redirect("email_settings")


@csrf_exempt  # RFC 8058: mail providers POST here without a session or a form
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation; POST (the button, or a mail provider's one-click)
    unsubscribes. The signed token is the only credential: no sign-in needed."""
    scope = read_unsubscribe_token(token)
    if scope is None:
        raise Http404
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "notifications/unsubscribed.html", selectors.unsubscribe_described(scope))
    context = {**selectors.unsubscribe_described(scope), "token": token}
    return render(request, "notifications/unsubscribe_confirm.html", context)


@login_required
@require_POST
def email_stop_all(request: HttpRequest) -> HttpResponse:
    services.email_stop_all(user=request.user)
    messages.success(request, "Done. We will only email you about your account and security.")
    return redirect("email_settings")


@login_required
@require_POST
def email_start_again(request: HttpRequest) -> HttpResponse:
    services.email_start_again(user=request.user)
    messages.success(request, "Done. We will email you as your settings below say.")
    return redirect("email_settings")


@sensitive_variables()
@sensitive_post_parameters()
@csrf_exempt  # authenticated by the provider's webhook secret, checked by anymail
@require_POST
def inbound_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    view_class = INBOUND_VIEWS.get(provider)
    # Without a configured secret the webhook would be open to anyone: it stays off.
    if view_class is None or not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        raise Http404
    return view_class.as_view()(request)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def held_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the held email and a button; POST posts it. The signed link, sent to
    the member's verified address, is the credential: no sign-in needed."""
    held = held_for_token(token)
    if held is None:
        return render(request, "notifications/held_missing.html", {"days": HOLD_FOR.days}, status=404)
    if request.method == "POST":
        try:
            post = held_confirm(held=held)
        except Rejected as error:
            return render(request, "notifications/held_confirm.html", {"held": held, "reason": str(error)})
        # A page rather than a redirect: the member may not be signed in on this device.
        return render(request, "notifications/held_posted.html", {"post": post})
    return render(request, "notifications/held_confirm.html", {"held": held})
