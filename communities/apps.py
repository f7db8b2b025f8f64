from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"

    def ready(self) -> None:
        # Connects the allauth signal receivers that accept remembered invitations.
        from communities import invitations, signals  # noqa: F401
