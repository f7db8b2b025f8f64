"""Authentication backends that refuse suspended members.

Django asks the backend for the user on every request (`get_user`), and both
backends call `user_can_authenticate`, so a suspension ends existing sessions as
well as stopping new sign-ins. Erased accounts are inactive, which Django's own
check already refuses.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model

# The member and their unread-notification tally, in one plain statement: it runs on
# every signed-in request, and the ORM took longer to build it than PostgreSQL to answer.
USER_SQL = """
SELECT member.*, COALESCE(tally.unread, 0) AS unread_notification_tally
FROM members_user member LEFT JOIN notifications_unreadtally tally ON tally.user_id = member.id
WHERE member.id = %s
"""


class _MemberBackend:
    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "status", None) == "suspended":
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """Django's get_user, with the member's unread-notification tally in the same
        query: every page's header shows it (notifications.selectors.unread_count)."""
        # Django has already made user_id an int (auth._get_user_session_key).
        user = next(iter(get_user_model()._default_manager.raw(USER_SQL, [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_MemberBackend, backends.ModelBackend):
    pass


class AuthenticationBackend(_MemberBackend, auth_backends.AuthenticationBackend):
    pass
