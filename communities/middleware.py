"""Cache-Control for pages made for one person, decided here for every page: `private`
for a signed-in member, and `no-store` as well for one who may read a private
community. Why one rule rather than each page's: docs/architecture.md, "How caching works"."""

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
