"""The one page action for feeds: a new personal address (the old one stops working)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from feeds.services import feed_token_renew


@login_required
@require_POST
def feed_address_renew(request: HttpRequest) -> HttpResponse:
    feed_token_renew(user=request.user)
    messages.success(request, "You have a new feed address. Any old address no longer works.")
    return redirect(f"{redirect('email_settings').url}#feeds")
