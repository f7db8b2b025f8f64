"""An embedded PostgreSQL for machines with no database server.

When DATABASE_URL is unset, settings call `embedded_database()`, which starts
(or joins) a PostgreSQL server from the `pgserver` package with its data in
a git-ignored folder of the checkout, so a second `make run` keeps the data.
pgserver counts the processes using the server and stops it when the last
one exits, so the web server, the task worker and test runs can share it.
"""

import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "commsnet"

_server = None


def embedded_database(data_dir: Path) -> dict:
    global _server
    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); pgserver copes.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver

    if _server is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        _server = pgserver.get_server(data_dir, cleanup_mode="stop")
        exists = _server.psql("SELECT 1 FROM pg_database WHERE datname = 'commsnet';")
        if "(1 row)" not in exists:
            _server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    # The socket may live outside the data folder when its path would be too long.
    socket_dir = parse_qs(urlparse(_server.get_uri()).query)["host"][0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
    }
