from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook for CommsNet's own sign-up rules (see members/services.py)."""
