"""Cache-Control for pages made for one person, decided in one place for every page.

A page made for a signed-in member is theirs alone: `private`, so no shared cache
(a proxy, a CDN) keeps it for the next person. A member who may read a private
community gets `no-store` as well, so its content is not left on the disk of a
shared computer: nearly every page made for them (home, latest, search, tags,
notifications, the community's own pages) may show it, and a page missed would
leak, so the rule is theirs rather than each page's. Visitors' pages are left as
the views made them. The views' own choices (never_cache, an attachment's max-age)
are kept; this only adds to them.
"""

from django.utils.cache import patch_cache_control

from communities.models import community_access


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        patch_cache_control(response, private=True)
        # Redirects hold nothing to keep (and the access a POST just changed would
        # have to be read again); pages already asked for it in their header.
        if not 300 <= response.status_code < 400 and community_access(user).reads_private:
            patch_cache_control(response, no_store=True)
        return response
