"""Pages, and parts of pages, kept until what they show changes: keyed by a content
version, by what stands for the viewer and by the path asked for, and never holding a
CSRF or one-time token (placeholders are filled per response). See
docs/architecture.md, "How caching works"."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.http import HttpResponse
from django.middleware.csrf import get_token

from communities.models import community_access, site_content_version
from core import once
from core.context_processors import navigation


def cache_key_for(facts) -> str:
    """A short key standing for `facts` (anything whose repr says all of it)."""
    return hashlib.md5(repr(facts).encode(), usedforsecurity=False).hexdigest()


def _viewer(user) -> str:
    """Who is asking, and what they may do now: a member approved, suspended or made a
    site admin gets new keys at once, whatever else changed."""
    if not user.is_authenticated:
        return "visitor"
    access = community_access(user)
    readable = "all" if access.readable is None else sorted(access.readable)
    return f"{user.pk}:{cache_key_for([user.is_approved, user.is_site_admin, readable, sorted(access.moderated)])}"


def _key(request, name: str, version: str | None, viewer: str | None) -> str:
    # The same parameters in another order ask for the same page: kept once.
    path = cache_key_for((request.path, sorted(request.GET.lists())))
    return f"{name}:{version or site_content_version()}:{viewer or _viewer(request.user)}:{path}"


def cached_for_viewer(
    request, name: str, render, *, params, version: str | None = None, timeout=DEFAULT_TIMEOUT, viewer=None
):
    """`render()`, or what it gave for this viewer and path while nothing has changed:
    the site's content version, or `version` when the page depends on less (and, with
    `timeout`, for at most that many seconds). `params` are the query-string names the
    page reads; a request with any other is rendered afresh and not kept, so made-up
    parameters cannot push everything else out of the cache. `viewer` stands for all
    the page shows that depends on who is asking, for pages that know it exactly
    (by default: the visitor or member and what they may read)."""
    if not set(request.GET) <= set(params):
        return render()
    return caches["pages"].get_or_set(_key(request, name, version, viewer), render, timeout)


# Where a kept page's forms take the request's CSRF token. Nobody can guess it (it is
# new in each process, as the "pages" cache is), and only the exact markup of the
# {% csrf_token %} tag around it is replaced, which no text a member wrote can hold.
CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"
CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


# The header's facts that apps above this one know (the bell's unread count, the review
# counts, pre-election banners): name → function of the request, registered from their
# AppConfig.ready so this module imports none of them.
_chrome: dict[str, Callable] = {}


def register_page_chrome(name: str, value: Callable) -> None:
    """`value(request)` is what the header shows as `name` (the same name its context
    processor gives): worked out eagerly for a cached page, and part of its key."""
    _chrome[name] = value


def _page_chrome(request) -> dict:
    """What the base layout's header shows that depends on who is asking and where
    they are (the context processors' values, worked out now rather than lazily): part
    of a page's key, and given to its rendering so nothing is asked twice."""
    return {"NAVIGATION": navigation(request)} | {name: value(request) for name, value in _chrome.items()}


def cached_page(
    request,
    name: str,
    render: Callable[[dict], str],
    *,
    params,
    version: str | None = None,
    viewer: str | None = None,
    timeout=DEFAULT_TIMEOUT,
) -> HttpResponse:
    """A whole page, kept as cached_for_viewer keeps what it renders, with the
    header's facts added to the key. `render(kept_context)` renders the page with
    `kept_context` added to each of its templates' context: that holds the header's
    facts and, for a page to keep, the CSRF placeholder. A page with messages to show (shown once)
    or with query-string names outside `params` is rendered afresh."""
    chrome = _page_chrome(request)
    if len(get_messages(request)) or not set(request.GET) <= set(params):
        return HttpResponse(render(chrome))
    key = f"{_key(request, name, version, viewer)}:{cache_key_for(list(chrome.values()))}"
    html = caches["pages"].get(key)
    if html is None:
        kept_context = {**chrome, "csrf_token": CSRF_PLACEHOLDER, "form_token": once.PLACEHOLDER}
        html, used_token = _render_with_placeholder(request, render, kept_context)
        if not used_token:  # a page that used the real token holds this member's own: not kept
            caches["pages"].set(key, html, timeout)
    placeholder = CSRF_INPUT.format(CSRF_PLACEHOLDER)
    if placeholder in html:  # a page without forms sets no CSRF cookie, as before
        html = html.replace(placeholder, CSRF_INPUT.format(get_token(request)))
    return HttpResponse(once.fill_tokens(html, request))


def _render_with_placeholder(request, render: Callable[[dict], str], kept_context: dict) -> tuple[str, bool]:
    """`render(kept_context)`, and whether rendering asked for the request's own CSRF token
    (django.middleware.csrf.get_token marks the request whenever it is asked)."""
    marked = request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", False)
    try:
        html = render(kept_context)
    finally:
        used_token = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        if marked or used_token:
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return html, used_token
