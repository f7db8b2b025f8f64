from functools import wraps

from allauth.core import ratelimit
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def site_admin_required(view):
    """Signed-out visitors go to sign in; signed-in people who are not site admins get 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_site_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def rate_limited(action: str):
    """allauth's rate limit `action` (settings.ACCOUNT_RATE_LIMITS) on POSTs, counted in
    the shared cache like sign-in attempts; over it, the "Too many attempts" page (429)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return ratelimit.consume_or_429(request, action=action) or view(request, *args, **kwargs)

        return wrapped

    return decorator
