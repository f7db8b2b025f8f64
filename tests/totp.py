"""Authenticator-app codes for tests, as the member's phone would show them."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def current_code(secret: str, *, seconds_needed: int = 3) -> str:
    """The code for now. A code is accepted only in its own 30 seconds (no tolerance: a
    wider window would let a used code be replayed once allauth forgets it), so wait for
    the next code when this one would change before the test can send it."""
    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < seconds_needed:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
