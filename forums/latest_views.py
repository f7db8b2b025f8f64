"""Latest: every thread the reader may see, across all communities."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from communities.models import site_content_version
from forums.latest import LatestForm, latest_key, latest_threads
from forums.listings import Listing, ThreadRows
from forums.selectors import THREADS_PER_PAGE


@require_GET
def latest(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = LatestForm(request.GET or None, user=user)
    if form.is_bound:
        form.is_valid()  # a wrong filter is shown with its error; the others still apply
    filters = form.filters()
    # The listing is kept for everyone who reads the same communities with the same filters.
    key = latest_key(user, filters, site_content_version())
    listing = Listing(lambda: latest_threads(user, filters), key)
    page_obj = Paginator(listing, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "thread_rows": ThreadRows(request, page_obj.object_list, show_community=True),
        "filtered": form.has_filters(),
    }
    return render(request, "forums/latest.html", context)
