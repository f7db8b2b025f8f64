"""Exports a dead worker left "Being made" (or waiting with their task lost) are built
again by the worker's sweep, and marked failed after MAX_ATTEMPTS builds."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from records.exports import MAX_ATTEMPTS, STUCK_AFTER, build_export, exports_recover, sweep_stuck_exports
from records.models import CommunityExport
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks_and_private_media(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def started(community, owner, bob):
    make_thread(community=community, author=bob, title="Storm Bert: road closures", body="Who posts them?")
    return CommunityExport.objects.create(community=community, requested_by=owner)


def left_by_a_dead_worker(export, *, attempts: int = 1, quiet_for=STUCK_AFTER + timedelta(minutes=1)):
    """As a worker killed mid-build leaves it: running, no progress since."""
    CommunityExport.objects.filter(pk=export.pk).update(
        status=CommunityExport.Status.RUNNING, attempts=attempts, heartbeat_at=timezone.now() - quiet_for
    )


def test_the_worker_runs_the_export_sweep():
    assert "records.exports.sweep_stuck_exports" in settings.WORKER_SWEEP_TASKS


def test_a_stuck_export_is_built_again(started, django_capture_on_commit_callbacks, mailoutbox):
    left_by_a_dead_worker(started)

    with django_capture_on_commit_callbacks(execute=True):
        assert exports_recover() == (1, 0)

    started.refresh_from_db()
    assert started.status == CommunityExport.Status.READY
    assert started.attempts == 2
    assert started.file
    assert [m.to for m in mailoutbox if "export" in m.subject] == [[started.requested_by.email]]


def test_the_sweep_task_builds_a_stuck_export_again(started, django_capture_on_commit_callbacks):
    left_by_a_dead_worker(started)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_stuck_exports.call()

    started.refresh_from_db()
    assert started.status == CommunityExport.Status.READY


def test_an_export_still_making_progress_is_left_alone(started, django_capture_on_commit_callbacks):
    left_by_a_dead_worker(started, quiet_for=STUCK_AFTER - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert exports_recover() == (0, 0)

    started.refresh_from_db()
    assert (started.status, started.attempts) == (CommunityExport.Status.RUNNING, 1)


def test_an_export_stuck_after_the_last_attempt_is_marked_failed(started, django_capture_on_commit_callbacks):
    left_by_a_dead_worker(started, attempts=MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        assert exports_recover() == (0, 1)

    started.refresh_from_db()
    assert started.status == CommunityExport.Status.FAILED
    assert started.error == f"The build stopped {MAX_ATTEMPTS} times without finishing"
    assert started.finished_at is not None


def test_a_waiting_export_whose_task_was_lost_is_queued_again(started, django_capture_on_commit_callbacks):
    CommunityExport.objects.filter(pk=started.pk).update(created_at=timezone.now() - STUCK_AFTER * 2)

    with django_capture_on_commit_callbacks(execute=True):
        assert exports_recover() == (1, 0)

    started.refresh_from_db()
    assert (started.status, started.attempts) == (CommunityExport.Status.READY, 1)


def test_sweeping_twice_queues_a_stuck_export_once(started, django_capture_on_commit_callbacks, settings):
    # A worker that never comes: the export stays queued, and the second sweep sees it
    # freshly put back, not stuck.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    left_by_a_dead_worker(started)

    with django_capture_on_commit_callbacks(execute=True):
        first = exports_recover()
        second = exports_recover()

    assert (first, second) == ((1, 0), (0, 0))
    started.refresh_from_db()
    assert (started.status, started.attempts) == (CommunityExport.Status.QUEUED, 1)


def test_ready_and_failed_exports_are_never_touched(started, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - STUCK_AFTER * 10
    CommunityExport.objects.filter(pk=started.pk).update(
        status=CommunityExport.Status.FAILED, error="OSError", heartbeat_at=long_ago, created_at=long_ago
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert exports_recover() == (0, 0)

    started.refresh_from_db()
    assert (started.status, started.error) == (CommunityExport.Status.FAILED, "OSError")


def test_a_build_overtaken_by_a_retry_keeps_nothing(started, django_capture_on_commit_callbacks, monkeypatch):
    # The first build was only slow: while it works, the sweep gives its export to a new build.
    from records import exports

    real_write = exports.write_export

    def slow_write(export, out, **kwargs):
        CommunityExport.objects.filter(pk=export.pk).update(attempts=export.attempts + 5)
        real_write(export, out, **kwargs)

    monkeypatch.setattr(exports, "write_export", slow_write)
    build_export.call(started.pk)

    started.refresh_from_db()
    assert started.status == CommunityExport.Status.RUNNING
    assert not started.file
    assert not list((settings.MEDIA_ROOT / "exports").rglob("*.zip"))
