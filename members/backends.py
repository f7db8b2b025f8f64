"""Authentication backends that refuse suspended members.

Django asks the backend for the user on every request (`get_user`), and both
backends call `user_can_authenticate`, so a suspension ends existing sessions as
well as stopping new sign-ins. Erased accounts are inactive, which Django's own
check already refuses.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


class _MemberBackend:
    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "status", None) == "suspended":
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """Django's get_user, with the member's unread-notification tally in the same
        query: every page's header shows it (notifications.selectors.unread_count)."""
        from notifications.models import UnreadTally

        user_model = get_user_model()
        tally = UnreadTally.objects.filter(user=OuterRef("pk")).values("unread")[:1]
        users = user_model._default_manager.annotate(unread_notification_tally=Coalesce(Subquery(tally), 0))
        try:
            user = users.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_MemberBackend, backends.ModelBackend):
    pass


class AuthenticationBackend(_MemberBackend, auth_backends.AuthenticationBackend):
    pass
