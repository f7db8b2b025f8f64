from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        # django-anymail announces inbound mail with a signal (a third-party seam).
        from anymail.signals import inbound

        from notifications.inbound import anymail_inbound_received

        inbound.connect(anymail_inbound_received, dispatch_uid="notifications.inbound")

        from notifications import handlers

        handlers.connect()
