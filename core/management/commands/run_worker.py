"""The background task worker, made to outlive its database: where django-tasks-db's
`db_worker` exits when the database goes away, this waits and reconnects, puts back
tasks a dead worker left RUNNING, and runs the WORKER_SWEEP_TASKS sweeps every few
minutes. Run it under a supervisor all the same (README, "Production")."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("django_tasks_db")

# A task RUNNING for longer than this belongs to a worker that died (ours are short).
STALE_TASK_AFTER = timedelta(minutes=30)
LONGEST_RECONNECT_WAIT = 30.0


class ResilientWorker(Worker):
    def __init__(self, *, sweep_every: float, **kwargs):
        super().__init__(**kwargs)
        self.sweep_every = sweep_every
        self.next_sweep = 0.0

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        wait = 1.0
        while self.running:
            try:
                self.housekeeping()
                did_work = self.run_one()
                wait = 1.0
            except DatabaseError as error:
                logger.warning("Database unavailable (%s); trying again in %.0f s", type(error).__name__, wait)
                connections.close_all()
                self.next_sweep = 0.0  # once back, put back what the outage interrupted
                self.sleep(wait)
                wait = min(wait * 2, LONGEST_RECONNECT_WAIT)
                continue
            if self.batch and not did_work:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if not did_work:
                self.sleep(self.interval)

    def sleep(self, seconds: float) -> None:
        if self.running:
            time.sleep(seconds)

    def run_one(self) -> bool:
        """Claim and run one ready task; False when there was none."""
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is None:
            return False
        self.run_task(task_result)
        return True

    def housekeeping(self) -> None:
        """Put back tasks left RUNNING by a dead worker (or by this one, when the database
        went away mid-task), and now and then run the sweeps that pick up left-over work."""
        if time.monotonic() < self.next_sweep:
            return
        recover_stale_tasks(self.worker_id)
        for path in settings.WORKER_SWEEP_TASKS:
            import_string(path).enqueue()
        self.next_sweep = time.monotonic() + self.sweep_every


def recover_stale_tasks(worker_id: str) -> int:
    """Tasks of ours are idempotent sweeps, so running one again is safe."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    stale = running.filter(started_at__lt=timezone.now() - STALE_TASK_AFTER) | running.filter(
        worker_ids__contains=[worker_id]
    )
    count = stale.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("Put back %s task(s) left running by a worker that stopped", count)
    return count


class Command(DbWorkerCommand):
    help = "Run background tasks; survives database restarts and recovers work left by dead workers."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=300.0,
            help="Seconds between sweeps for left-over work (default: %(default)r)",
        )

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, max_tasks, worker_id, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = ResilientWorker(
            sweep_every=options["sweep_every"],
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
