"""Account security rules that pages share: who should turn on two-factor authentication."""

from django.contrib.auth.models import AnonymousUser

SITE_ADMIN_REASON = "You are a site administrator, so your account can see and change everything on CommsNet."
FACILITATOR_REASON = "You run a community, so your account can see its members' details and moderate their posts."


def has_two_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_prompt_reason(user: AnonymousUser) -> str:
    """Why `user` should turn on two-factor authentication, or "" when they need not be asked:
    site admins and community facilitators or owners who have not turned it on yet."""
    from communities.models import community_access

    if not user.is_authenticated:
        return ""
    if user.is_site_admin:
        reason = SITE_ADMIN_REASON
    elif community_access(user).moderated:
        reason = FACILITATOR_REASON
    else:
        return ""
    return "" if has_two_factor(user) else reason


def should_prompt_for_mfa(user) -> bool:
    return bool(mfa_prompt_reason(user))
