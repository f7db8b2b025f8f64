"""An embedded PostgreSQL for machines with no database server.

When DATABASE_URL is unset, settings call `embedded_database()`, which starts
(or joins) a PostgreSQL server from the `pgserver` package with its data in
a git-ignored folder of the checkout, so a second `make run` keeps the data.
pgserver counts the processes using the server (in `.handle_pids.json`) and
stops it when the last one exits, so the web server, the task worker and test
runs can share it.
"""

import atexit
import json
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "commsnet"

_server = None


def _is_running(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _write_atomically(self, values: list[int]) -> None:
    # pgserver rewrites its list of users in place; a process killed mid-write (the
    # autoreloader SIGKILLs its child) would leave it empty and the server running forever.
    tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(values))
    os.replace(tmp, self.path)


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop processes that died without saying goodbye (killed, crashed) from pgserver's
    list of users, or the server would wait for them forever and never stop."""
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    path = data_dir / ".handle_pids.json"
    with PostgresServer._lock:
        try:
            pids = json.loads(path.read_text())
        except FileNotFoundError:
            return
        except ValueError:  # written by an older, non-atomic run
            pids = None
        alive = [pid for pid in pids or [] if _is_running(pid)]
        if alive != pids:
            _write_atomically(DiskList(path), alive)


def _before_pgserver_cleanup(data_dir: Path) -> None:
    # A second Ctrl+C or SIGTERM must not interrupt pgserver half-way through
    # rewriting its list of users (which would leave the database running).
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _forget_dead_handles(data_dir)


def _exit_cleanly_on_sigterm() -> None:
    """Python dies on SIGTERM without running atexit handlers, which is where pgserver
    stops the database. Turn SIGTERM into a normal exit, unless someone (gunicorn,
    the task worker) already handles it."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def embedded_database(data_dir: Path) -> dict:
    """Where to connect to the embedded server, started if need be (settings choose the engine)."""
    global _server
    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); pgserver copes.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver
    from pgserver.utils import DiskList

    DiskList.put = _write_atomically
    if _server is None:
        data_dir = data_dir.expanduser().resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(data_dir)
        _server = pgserver.get_server(data_dir, cleanup_mode="stop")
        # atexit runs handlers last-in first-out: this one runs just before pgserver's own.
        atexit.register(_before_pgserver_cleanup, data_dir)
        _exit_cleanly_on_sigterm()
        exists = _server.psql("SELECT 1 FROM pg_database WHERE datname = 'commsnet';")
        if "(1 row)" not in exists:
            _server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    # The socket may live outside the data folder when its path would be too long.
    socket_dir = parse_qs(urlparse(_server.get_uri()).query)["host"][0]
    return {
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
    }
