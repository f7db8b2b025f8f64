"""Retention rules on known data, with the clock fixed by passing `now`: archive after
N years without activity, warn the facilitators 30 days before deletion, delete M
years after archiving; a legal hold stops both; running twice does nothing more."""

from datetime import UTC, datetime, timedelta

import pytest

from communities.models import Community
from forums.models import Thread
from moderation.models import ModerationAction
from records.models import ArchivedThread, RetentionLimits, RetentionRule
from records.retention import RetentionError, apply_retention, retention_rule_set, years_after
from tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db

QUIET_SINCE = datetime(2020, 3, 2, 9, 0, tzinfo=UTC)
ARCHIVE_ON = years_after(QUIET_SINCE, 2)
DELETE_ON = years_after(ARCHIVE_ON, 3)


@pytest.fixture
def rule(community, owner):
    return retention_rule_set(community=community, actor=owner, archive_after_years=2, delete_after_years=3)


@pytest.fixture
def old_thread(community, bob):
    thread = make_thread(community=community, author=bob, title="Winter flooding lines")
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=QUIET_SINCE)
    return thread


def _log(action: str) -> list[ModerationAction]:
    return list(ModerationAction.objects.filter(action=action))


def test_a_thread_is_not_archived_a_day_before_its_quiet_years_are_up(rule, old_thread):
    apply_retention(now=ARCHIVE_ON - timedelta(days=1))
    old_thread.refresh_from_db()
    assert not old_thread.is_locked
    assert not ArchivedThread.objects.exists()


def test_a_thread_quiet_for_n_years_is_archived_locked_and_logged(rule, old_thread):
    run = apply_retention(now=ARCHIVE_ON)
    old_thread.refresh_from_db()
    assert run.archived == [old_thread.pk]
    assert old_thread.is_locked
    assert "retention rule" in old_thread.lock_reason
    assert ArchivedThread.objects.get(thread=old_thread).archived_at == ARCHIVE_ON
    [entry] = _log("thread_archive")
    assert (entry.actor_name, entry.target_id, entry.community_id) == ("CommsNet", old_thread.pk, rule.community_id)


def test_an_archived_thread_takes_no_replies_from_members(rule, old_thread, bob):
    from communities.permissions import can_reply

    apply_retention(now=ARCHIVE_ON)
    old_thread.refresh_from_db()
    assert can_reply(bob, old_thread) is False


def test_a_recently_active_thread_is_left_alone(rule, community, bob):
    make_thread(community=community, author=bob, title="Fresh")
    assert apply_retention(now=ARCHIVE_ON).archived == []


def test_facilitators_are_warned_30_days_before_deletion_and_not_before(rule, old_thread, mailoutbox, alice, owner):
    apply_retention(now=ARCHIVE_ON)
    assert apply_retention(now=DELETE_ON - timedelta(days=31)).warned == []
    run = apply_retention(now=DELETE_ON - timedelta(days=30))
    assert run.warned == [old_thread.pk]
    [email] = mailoutbox
    assert sorted(email.to) == sorted([alice.email, owner.email])
    assert "Winter flooding lines" in email.body
    assert f"deleted on {DELETE_ON.day} {DELETE_ON:%B %Y}" in email.body
    assert ArchivedThread.objects.get(thread=old_thread).delete_on == DELETE_ON
    assert len(_log("thread_deletion_warning")) == 1


def test_the_thread_is_deleted_m_years_after_archiving(rule, old_thread, community):
    Community.objects.filter(pk=community.pk).update(thread_count=1)
    apply_retention(now=ARCHIVE_ON)
    apply_retention(now=DELETE_ON - timedelta(days=30))
    assert apply_retention(now=DELETE_ON - timedelta(days=1)).deleted == []
    run = apply_retention(now=DELETE_ON)
    assert run.deleted == [old_thread.pk]
    assert not Thread.objects.filter(pk=old_thread.pk).exists()
    community.refresh_from_db()
    assert community.thread_count == 0
    [entry] = _log("thread_expire")
    assert entry.target_text == "Winter flooding lines"


def test_a_thread_is_never_deleted_without_30_days_warning(rule, old_thread, mailoutbox):
    """If the command did not run for a while, the warning still comes first."""
    apply_retention(now=ARCHIVE_ON)
    run = apply_retention(now=DELETE_ON + timedelta(days=5))
    assert (run.warned, run.deleted) == ([old_thread.pk], [])
    assert ArchivedThread.objects.get(thread=old_thread).delete_on == DELETE_ON + timedelta(days=35)
    assert apply_retention(now=DELETE_ON + timedelta(days=35)).deleted == [old_thread.pk]


def test_running_twice_does_nothing_more(rule, old_thread, mailoutbox):
    for moment in (ARCHIVE_ON, DELETE_ON - timedelta(days=30)):
        apply_retention(now=moment)
        entries, emails = ModerationAction.objects.count(), len(mailoutbox)
        second = apply_retention(now=moment)
        assert (second.archived, second.warned, second.deleted, second.lapsed) == ([], [], [], [])
        assert (ModerationAction.objects.count(), len(mailoutbox)) == (entries, emails)


def test_a_legal_hold_stops_archiving(rule, old_thread, community, dora):
    retention_rule_set(
        community=community,
        actor=dora,
        archive_after_years=2,
        delete_after_years=3,
        legal_hold=True,
        legal_hold_reason="FOI 2024/117",
    )
    assert apply_retention(now=ARCHIVE_ON + timedelta(days=400)).archived == []
    old_thread.refresh_from_db()
    assert not old_thread.is_locked


def test_a_legal_hold_stops_deletion_and_a_fresh_warning_follows_it(rule, old_thread, community, dora, mailoutbox):
    apply_retention(now=ARCHIVE_ON)
    apply_retention(now=DELETE_ON - timedelta(days=30))
    hold = {"community": community, "actor": dora, "archive_after_years": 2, "delete_after_years": 3}
    retention_rule_set(**hold, legal_hold=True, legal_hold_reason="Inquiry")
    assert apply_retention(now=DELETE_ON + timedelta(days=100)).deleted == []
    assert Thread.objects.filter(pk=old_thread.pk).exists()
    retention_rule_set(**hold, legal_hold=False)
    later = DELETE_ON + timedelta(days=200)
    assert apply_retention(now=later).warned == [old_thread.pk]
    assert apply_retention(now=later + timedelta(days=29)).deleted == []
    assert apply_retention(now=later + timedelta(days=30)).deleted == [old_thread.pk]


def test_unlocking_an_archived_thread_releases_it_for_another_period(rule, old_thread, alice):
    from moderation.thread_actions import thread_lock

    apply_retention(now=ARCHIVE_ON)
    old_thread.refresh_from_db()
    thread_lock(thread=old_thread, actor=alice, locked=False)
    released = ARCHIVE_ON + timedelta(days=1)
    run = apply_retention(now=released)
    assert (run.lapsed, run.archived) == ([old_thread.pk], [])
    assert apply_retention(now=years_after(released, 2) - timedelta(days=1)).archived == []
    assert apply_retention(now=years_after(released, 2)).archived == [old_thread.pk]


def test_new_activity_releases_an_archived_thread(rule, old_thread, alice):
    apply_retention(now=ARCHIVE_ON)
    old_thread.refresh_from_db()
    make_reply(thread=old_thread, author=alice, body="Still relevant for this winter.")
    assert apply_retention(now=DELETE_ON).lapsed == [old_thread.pk]
    assert Thread.objects.filter(pk=old_thread.pk).exists()


def test_no_rule_keeps_everything(community, old_thread):
    run = apply_retention(now=ARCHIVE_ON + timedelta(days=3650))
    assert run.archived == run.deleted == []


def test_a_rule_outside_the_site_limits_is_refused(community, owner):
    RetentionLimits.objects.update_or_create(pk=1, defaults={"min_archive_years": 3, "max_archive_years": 7})
    with pytest.raises(RetentionError, match="between 3 and 7"):
        retention_rule_set(community=community, actor=owner, archive_after_years=2, delete_after_years=None)
    assert not RetentionRule.objects.exists()


def test_deletion_is_refused_when_site_admins_turned_it_off(community, owner):
    RetentionLimits.objects.update_or_create(pk=1, defaults={"allow_deletion": False})
    with pytest.raises(RetentionError, match="turned off"):
        retention_rule_set(community=community, actor=owner, archive_after_years=2, delete_after_years=3)


def test_a_facilitator_cannot_change_the_rule(community, alice):
    with pytest.raises(RetentionError, match="owners and site admins"):
        retention_rule_set(community=community, actor=alice, archive_after_years=2, delete_after_years=None)


def test_an_owner_cannot_place_a_legal_hold(community, owner):
    with pytest.raises(RetentionError, match="site admins"):
        retention_rule_set(
            community=community, actor=owner, archive_after_years=None, delete_after_years=None, legal_hold=True
        )


def test_changing_the_rule_is_logged(rule):
    [entry] = _log("retention_change")
    assert entry.to_state == "archive after 2 years, delete 3 years later"
    assert entry.actor_name == "Olive Owner (olive)"


def test_deleting_a_thread_removes_its_files_from_storage(
    rule, old_thread, bob, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from forums.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    attachment = Attachment(post=old_thread.posts.get(), filename="plan.pdf", content_type="application/pdf", size=4)
    attachment.file.save("plan.pdf", ContentFile(b"%PDF"), save=True)
    stored = tmp_path / attachment.file.name
    assert stored.exists()
    apply_retention(now=ARCHIVE_ON)
    apply_retention(now=DELETE_ON - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(now=DELETE_ON)
    assert not stored.exists()


def test_the_command_runs(rule, old_thread):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Archived 1," in out.getvalue()
