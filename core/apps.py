from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def _tune_planner(sender, connection, **kwargs) -> None:
    """This connection's session: settings.DB_RANDOM_PAGE_COST, and a plan made for each
    run of a prepared statement with its own values. A plan made once for any value
    (PostgreSQL's choice after five runs) suits a word found in every other post or in
    none equally badly: a generic plan made a fresh similar-questions lookup three times
    slower. Keeping statements prepared still saves parsing them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
        if settings.DB_RANDOM_PAGE_COST:
            # SET takes no bound parameters (the server binds them); the setting is a float.
            cursor.execute(f"SET random_page_cost = {float(settings.DB_RANDOM_PAGE_COST)}")


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        connection_created.connect(_tune_planner, dispatch_uid="core.tune_planner")
