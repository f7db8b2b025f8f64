"""Background tasks (django-tasks, stored in PostgreSQL; `manage.py db_worker` runs them).

Each task imports what it runs when it runs: the modules that queue these tasks are
the ones they run (services queues sending; delivery needs services), a true circle.
So this module imports nothing of ours at load, and everyone may import it."""

from django_tasks import task


@task()
def send_queued_email() -> int:
    """Send whatever is queued. Any run picks up every queued (or stale) delivery, so
    a task lost with a crashed worker is made good by the next one."""
    from notifications.delivery import deliver_pending  # the circle: see the module's docstring

    return deliver_pending()


@task()
def send_chain_ready(batch_id: int, to: str, checked: bool) -> bool:
    from notifications.chain_email import chain_ready_send  # see the docstring

    return chain_ready_send(batch_id=batch_id, to=to, checked=checked)


@task()
def send_bounce(inbound_id: int) -> bool:
    from notifications.inbound_bounces import bounce_send  # see the docstring

    return bounce_send(inbound_id=inbound_id)


@task()
def send_hold_confirmation(held_id: int) -> bool:
    from notifications.inbound_holds import confirmation_send  # see the docstring

    return confirmation_send(held_id=held_id)


@task()
def run_archive_import(batch_id: int) -> str:
    """Import (or resume importing) one mailing-list archive."""
    from notifications.archive_import import import_run  # see the docstring

    batch = import_run(batch_id=batch_id)
    return batch.status if batch else "missing"
