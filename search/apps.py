from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search over forums' threads and posts; it sits above forums, and
    forums imports nothing from it."""

    name = "search"
