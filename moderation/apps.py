from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        from members.erasure import register_eraser
        from moderation import handlers
        from moderation.erasure import log_forget_member

        register_eraser(log_forget_member)
        handlers.connect()  # every event moderation hears of (moderation/handlers.py)
