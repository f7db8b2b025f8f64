"""The task worker outlives its database and its own death: real worker processes are
killed and their database connections cut, and the mail they were sending still goes
exactly as the README says."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.management.commands.run_worker import STALE_TASK_AFTER, recover_stale_tasks
from notifications.models import OutgoingEmail
from notifications.outbox import STALE_AFTER, send_outgoing_email

PATIENCE_SECONDS = 60


class HangingBackend(BaseEmailBackend):
    """A mail server that takes the message and never answers: the worker is killed
    while it waits. It leaves a mark so the test knows the send has begun."""

    def send_messages(self, messages):
        Path(os.environ["HANG_MARK"]).write_text("sending")
        time.sleep(PATIENCE_SECONDS * 2)
        return len(messages)


def wait_for(condition, what: str):
    """Poll until `condition()` holds; patience, not a timed assertion."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Gave up waiting for {what}")


def database_url() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "localhost", safe="")
    return f"postgres://{db['USER']}:{quote(db['PASSWORD'] or '')}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(tmp_path, email_backend: str, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": email_backend,
        "EMAIL_FILE_PATH": str(tmp_path / "sent"),
        "HANG_MARK": str(tmp_path / "hanging"),
        "DEBUG": "true",
    }
    command = [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-reload", *extra]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def sent_files(tmp_path) -> list[Path]:
    folder = tmp_path / "sent"
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def real_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "notifications.outbox.QueuedEmailBackend"


def test_recovering_puts_back_tasks_of_dead_workers_and_leaves_live_ones(db, real_tasks):
    dead = send_outgoing_email.enqueue()
    live = send_outgoing_email.enqueue()
    DBTaskResult.objects.filter(id=dead.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - STALE_TASK_AFTER - timedelta(minutes=1)
    )
    DBTaskResult.objects.filter(id=live.id).update(status=TaskResultStatus.RUNNING, started_at=timezone.now())

    assert recover_stale_tasks("another-worker") == 1
    assert DBTaskResult.objects.get(id=dead.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=live.id).status == TaskResultStatus.RUNNING


def test_recovering_puts_back_this_workers_own_interrupted_task_at_once(db, real_tasks):
    mine = send_outgoing_email.enqueue()
    DBTaskResult.objects.filter(id=mine.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["me"]
    )

    assert recover_stale_tasks("me") == 1


def test_a_killed_worker_leaves_nothing_unsent(transactional_db, real_tasks, tmp_path):
    send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
    worker = start_worker(tmp_path, "tests.core.test_worker.HangingBackend")
    try:
        wait_for(lambda: (tmp_path / "hanging").exists(), "the worker to start sending")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert OutgoingEmail.objects.get().status == "sending"
    # Time passes: the claim and the task go stale.
    OutgoingEmail.objects.update(claimed_at=timezone.now() - STALE_AFTER - timedelta(minutes=1))
    DBTaskResult.objects.update(started_at=timezone.now() - STALE_TASK_AFTER - timedelta(minutes=1))

    worker = start_worker(tmp_path, "django.core.mail.backends.filebased.EmailBackend", "--batch")
    assert worker.wait(timeout=PATIENCE_SECONDS) == 0

    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(sent_files(tmp_path)) == 1
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()


def test_a_worker_whose_database_connection_is_cut_reconnects_and_goes_on(transactional_db, real_tasks, tmp_path):
    worker = start_worker(tmp_path, "django.core.mail.backends.filebased.EmailBackend")
    try:
        send_mail("Storm Bert", "Roads closed.", None, ["priya@council.gov.uk"])
        wait_for(lambda: len(sent_files(tmp_path)) == 1, "the first email")
        # What a database restart does to its clients: every connection but ours is cut.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        send_mail("Storm Bert: update", "Roads open.", None, ["priya@council.gov.uk"])

        wait_for(lambda: OutgoingEmail.objects.filter(status="sent").count() == 2, "the second email")
        assert worker.poll() is None, "the worker exited"
    finally:
        worker.terminate()
        worker.wait(timeout=PATIENCE_SECONDS)
