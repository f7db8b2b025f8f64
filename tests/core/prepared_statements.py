"""What the tests of kept statements share."""

import pytest


def prepare_threshold(psycopg_connection) -> int:
    """How many runs of a statement psycopg waits for before keeping it prepared; the
    test is skipped where the settings turn prepared statements off."""
    threshold = psycopg_connection.prepare_threshold
    if threshold is None:
        pytest.skip("prepared statements are off (DB_PREPARE_THRESHOLD is empty)")
    return threshold
