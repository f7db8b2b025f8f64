from allauth.account.adapter import DefaultAccountAdapter

from members.models import User


class AccountAdapter(DefaultAccountAdapter):
    """CommsNet's sign-in rules on top of allauth's (see members/services.py)."""

    def pre_login(self, request, user, **kwargs):
        # The backends already refuse suspended members; this shows them allauth's
        # "account inactive" page instead of a misleading "wrong password".
        if user.status == User.Status.SUSPENDED:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
