from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        from members.erasure import register_eraser
        from moderation.erasure import log_forget_member

        register_eraser(log_forget_member)
