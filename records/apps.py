from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Retention rules and community exports: the layer above moderation (it may import
    forums, communities and moderation; nothing below imports it)."""

    name = "records"
