from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"

    def ready(self) -> None:
        from members import receivers  # noqa: F401  (connects allauth's email_confirmed)
