"""Whole page bodies kept until what they show changes.

A body is cached under a content version (the site's, which PostgreSQL moves on with
every change to any thread, post, tag, membership or name, or a thread's own) and
the full path asked for.
Visitors share one copy; a signed-in member's pages hold their own memberships and
posts, so theirs are their own. Bodies hold no CSRF tokens: pages with forms that
post are never cached whole.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches

from communities.models import community_access, site_content_version


def fingerprint(facts) -> str:
    """A short key standing for `facts` (anything whose repr says all of it)."""
    return hashlib.md5(repr(facts).encode(), usedforsecurity=False).hexdigest()


def _viewer(user) -> str:
    """Who is asking, and what they may do now: a member approved, suspended or made a
    site admin gets new keys at once, whatever else changed."""
    if not user.is_authenticated:
        return "visitor"
    access = community_access(user)
    readable = "all" if access.readable is None else sorted(access.readable)
    return f"{user.pk}:{fingerprint([user.is_approved, user.is_site_admin, readable, sorted(access.moderated)])}"


def cached_for_viewer(
    request, name: str, render, *, params, version: str | None = None, timeout: int | None = None, viewer=None
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
    path = fingerprint(request.get_full_path())
    key = f"{name}:{version or site_content_version()}:{viewer or _viewer(request.user)}:{path}"
    if timeout is None:
        return caches["pages"].get_or_set(key, render)
    return caches["pages"].get_or_set(key, render, timeout)


def cached_for_visitors(request, name: str, render, *, params, version: str):
    """`render()` afresh for a signed-in member, whose page holds their own forms and
    marks; for visitors, who all see the same page, cached_for_viewer under `version`."""
    if request.user.is_authenticated:
        return render()
    return cached_for_viewer(request, name, render, params=params, version=version)
