import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# (label, URL name, who sees it). Items whose URL does not exist yet are skipped.
NAVIGATION_ITEMS = [
    ("Latest", "latest", "everyone"),
    ("Communities", "community_directory", "everyone"),
    ("Search", "search", "everyone"),
    ("Members", "member_directory", "signed_in"),
    ("Notifications", "notifications", "signed_in"),
    ("Review", "site_review", "site_admin"),
    ("Approvals", "staff_approvals", "site_admin"),
    ("Your account", "profile_settings", "signed_in"),
    ("Sign out", "account_logout", "signed_in"),
    ("Sign in", "account_login", "signed_out"),
    ("Create an account", "account_signup", "signed_out"),
]


def _shown_to(user, audience: str) -> bool:
    if audience == "everyone":
        return True
    if audience == "signed_out":
        return not user.is_authenticated
    if audience == "site_admin":
        return user.is_authenticated and user.is_site_admin
    return user.is_authenticated


@functools.cache
def _navigation_urls(script_prefix: str, urlconf) -> list[tuple[str, str, str, str]]:
    """(label, URL name, URL, who sees it) for the items that exist: the URLs never change while
    the site runs, so they are worked out once (per script prefix and URL conf: reverse() uses them)."""
    urls = []
    for label, url_name, audience in NAVIGATION_ITEMS:
        try:
            urls.append((label, url_name, reverse(url_name), audience))
        except NoReverseMatch:
            continue
    return urls


def navigation(request) -> list[dict]:
    user = request.user
    current = request.path
    items = []
    for label, url_name, url, audience in _navigation_urls(get_script_prefix(), get_urlconf()):
        if not _shown_to(user, audience):
            continue
        active = current == url or (url != "/" and current.startswith(url) and url_name != "account_logout")
        items.append({"label": label, "url": url, "active": active})
    return items


def site(request) -> dict:
    return {
        "SITE_NAME": "CommsNet",
        "SITE_URL": settings.SITE_URL,
        "FEEDBACK_EMAIL": settings.FEEDBACK_EMAIL,
        "NAVIGATION": navigation(request) if hasattr(request, "user") else [],
    }
