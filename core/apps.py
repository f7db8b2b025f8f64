from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def _tune_planner(sender, connection, **kwargs) -> None:
    """settings.DB_RANDOM_PAGE_COST, for this connection's session."""
    if connection.vendor == "postgresql" and settings.DB_RANDOM_PAGE_COST:
        with connection.cursor() as cursor:
            cursor.execute("SET random_page_cost = %s", [settings.DB_RANDOM_PAGE_COST])


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        connection_created.connect(_tune_planner, dispatch_uid="core.tune_planner")
