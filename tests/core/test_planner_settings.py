"""Each database connection tells PostgreSQL's planner that random reads are cheap
(settings.DB_RANDOM_PAGE_COST, set by core.apps when a connection opens), and lets a
lookup it runs again and again keep one plan."""

from contextlib import contextmanager

import pytest
from django.db import connections

from tests.core.prepared_statements import prepare_threshold

pytestmark = pytest.mark.django_db


@contextmanager
def new_connection_cursor():
    """A cursor on a connection of its own, so core.apps sets up its session afresh."""
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def random_page_cost_of_a_new_connection() -> tuple[float, float]:
    """(what the session uses, what the server would give it)."""
    with new_connection_cursor() as cursor:
        cursor.execute("SELECT setting, reset_val FROM pg_settings WHERE name = 'random_page_cost'")
        return tuple(float(value) for value in cursor.fetchone())


def test_a_new_connection_uses_the_configured_random_page_cost(settings):
    settings.DB_RANDOM_PAGE_COST = 1.5
    assert random_page_cost_of_a_new_connection()[0] == 1.5


def test_no_setting_leaves_the_server_default(settings):
    settings.DB_RANDOM_PAGE_COST = None
    used, servers_own = random_page_cost_of_a_new_connection()
    assert used == servers_own


def test_a_lookup_run_again_and_again_may_keep_one_plan():
    """Planning a lookup by id anew on every page costs more than the plan is worth."""
    with new_connection_cursor() as cursor:
        for thread_id in range(prepare_threshold(cursor.connection) + 10):
            cursor.execute("SELECT title FROM forums_thread WHERE id = %s", [thread_id])
        cursor.execute(
            "SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%FROM forums_thread WHERE id = $1%"],
        )
        assert cursor.fetchone()[0] > 0
