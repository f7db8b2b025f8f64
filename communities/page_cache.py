"""Whole page bodies kept until anything on the site changes.

A body is cached under site_content_version (which PostgreSQL moves on with every
change to any thread, post, tag, membership or name) and the full path asked for.
Visitors share one copy; a signed-in member's pages hold their own memberships and
posts, so theirs are their own. Bodies hold no CSRF tokens: pages with forms that
post are never cached whole.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches

from communities.models import site_content_version


def cached_for_viewer(request, name: str, render, timeout: int | None = None):
    """`render()`, or what it gave for this viewer and path while nothing has changed
    (and, with `timeout`, for at most that many seconds)."""
    viewer = request.user.pk if request.user.is_authenticated else "visitor"
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    key = f"{name}:{site_content_version()}:{viewer}:{path}"
    if timeout is None:
        return caches["fragments"].get_or_set(key, render)
    return caches["fragments"].get_or_set(key, render, timeout)
