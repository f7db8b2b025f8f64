from functools import wraps

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
