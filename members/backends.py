"""Authentication backends that refuse suspended members.

Django asks the backend for the user on every request (`get_user`), and both
backends call `user_can_authenticate`, so a suspension ends existing sessions as
well as stopping new sign-ins. Erased accounts are inactive, which Django's own
check already refuses.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends


class _RefuseSuspended:
    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "status", None) == "suspended":
            return False
        return super().user_can_authenticate(user)


class ModelBackend(_RefuseSuspended, backends.ModelBackend):
    pass


class AuthenticationBackend(_RefuseSuspended, auth_backends.AuthenticationBackend):
    pass
