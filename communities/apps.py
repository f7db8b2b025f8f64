from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"

    def ready(self) -> None:
        # Connects the allauth signal receivers that accept remembered invitations.
        from communities import invitations, signals  # noqa: F401
        from communities.models import community_access
        from core.security import FACILITATOR_REASON, register_mfa_reason

        # Facilitators and owners are asked to turn on two-factor (core/security.py).
        register_mfa_reason(lambda user: FACILITATOR_REASON if community_access(user).moderated else "")
