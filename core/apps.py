from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def _tune_planner(sender, connection, **kwargs) -> None:
    """This connection's session: settings.DB_RANDOM_PAGE_COST. (Statements that search
    text are planned for their own words by being sent unprepared: core.postgresql.)"""
    if connection.vendor != "postgresql" or not settings.DB_RANDOM_PAGE_COST:
        return
    with connection.cursor() as cursor:
        # SET takes no bound parameters (the server binds them); the setting is a float.
        cursor.execute(f"SET random_page_cost = {float(settings.DB_RANDOM_PAGE_COST)}")


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        connection_created.connect(_tune_planner, dispatch_uid="core.tune_planner")
