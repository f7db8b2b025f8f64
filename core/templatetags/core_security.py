from django import template
from django.conf import settings

from core.security import mfa_prompt_reason as _mfa_prompt_reason

register = template.Library()


@register.simple_tag
def mfa_prompt_reason(user) -> str:
    """`{% mfa_prompt_reason request.user as reason %}`: see core.security."""
    return _mfa_prompt_reason(user)


@register.simple_tag
def staff_requires_2fa() -> bool:
    """`{% staff_requires_2fa as required %}`: settings.STAFF_REQUIRE_2FA."""
    return settings.STAFF_REQUIRE_2FA
