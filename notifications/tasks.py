"""Background tasks (django-tasks, stored in PostgreSQL; `manage.py db_worker` runs them)."""

from django_tasks import task

from notifications.delivery import deliver_pending


@task()
def send_queued_email() -> int:
    """Send whatever is queued. Any run picks up every queued (or stale) delivery, so
    a task lost with a crashed worker is made good by the next one."""
    return deliver_pending()


@task()
def send_chain_ready(batch_id: int, to: str, checked: bool) -> bool:
    from notifications.chain_email import chain_ready_send

    return chain_ready_send(batch_id=batch_id, to=to, checked=checked)


@task()
def send_bounce(inbound_id: int) -> bool:
    from notifications.inbound import bounce_send

    return bounce_send(inbound_id=inbound_id)


@task()
def send_hold_confirmation(held_id: int) -> bool:
    from notifications.inbound_holds import confirmation_send

    return confirmation_send(held_id=held_id)


@task()
def run_archive_import(batch_id: int) -> str:
    """Import (or resume importing) one mailing-list archive."""
    from notifications.archive_import import import_run

    batch = import_run(batch_id=batch_id)
    return batch.status if batch else "missing"
