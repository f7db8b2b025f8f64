"""A forwarded chain becomes one unpublished thread: a post per message, by its sender
(member by verified address, else the archived name, never the address), with its date,
each answering the one before; the forwarder publishes it."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forums.models import Post, Thread
from notifications.archive_services import archive_import_publish, archive_import_remove
from notifications.chain_services import chain_import_start, chain_messages_from_text
from notifications.models import ArchiveImport
from tests.notifications import chain_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def start(community, by, text=samples.OUTLOOK):
    return chain_import_start(community=community, by=by, messages=chain_messages_from_text(text))


def posts(batch):
    return list(
        Post.objects.filter(pk__in=batch.messages.values("post_id")).select_related("author").order_by("sort_path")
    )


def test_a_chain_becomes_one_thread_with_a_post_per_message_in_reply_order(community, bob):
    batch = start(community, bob)
    priya, answer, sam = posts(batch)
    assert batch.status == ArchiveImport.Status.READY
    assert (batch.threads_made, batch.posts_made) == (1, 3)
    assert priya.parent is None and answer.parent == priya and sam.parent == answer
    assert priya.thread.title == samples.SUBJECT


def test_each_post_is_by_its_sender_with_its_date(community, bob):
    priya, answer, sam = posts(start(community, bob))
    assert (priya.author, priya.archived_author_name) == (None, "Priya Shah")
    assert (answer.author, answer.archived_author_name) == (bob, "")
    assert (sam.author, sam.archived_author_name) == (None, "Sam Jones")
    assert [p.created_at for p in (priya, answer, sam)] == [
        datetime(2020, 3, 2, 9, 0, tzinfo=UTC),
        datetime(2020, 3, 2, 10, 15, tzinfo=UTC),
        datetime(2020, 3, 3, 11, 30, tzinfo=UTC),
    ]


def test_signatures_are_stripped_and_no_address_is_shown(community, bob):
    priya, _, sam = posts(start(community, bob))
    assert priya.body == samples.OPENING
    assert "07700 900123" not in sam.body and "Digital lead" not in sam.body
    assert all("@" not in p.body_html for p in posts(ArchiveImport.objects.get()))


def test_the_thread_stays_unpublished_until_the_forwarder_publishes_it(community, bob):
    batch = start(community, bob)
    thread = Thread.objects.get()
    assert thread.is_unpublished
    archive_import_publish(batch=batch, by=bob)
    thread.refresh_from_db()
    assert not thread.is_unpublished


def test_forwarding_the_same_chain_again_adds_nothing(community, bob):
    start(community, bob)
    again = start(community, bob)
    assert (again.posts_made, again.duplicates) == (0, 3)
    assert Post.objects.count() == 3


def test_someone_who_cannot_post_in_the_community_cannot_start_a_chain(community, charlie):
    with pytest.raises(PermissionDenied):
        start(community, charlie)


def test_another_member_cannot_publish_or_remove_someone_elses_chain(community, bob, charlie):
    from tests.factories import MembershipFactory

    MembershipFactory(community=community, user=charlie)
    batch = start(community, bob)
    with pytest.raises(PermissionDenied):
        archive_import_publish(batch=batch, by=charlie)
    with pytest.raises(PermissionDenied):
        archive_import_remove(batch=batch, by=charlie)


def test_a_facilitator_may_publish_a_members_chain(community, alice, bob):
    batch = start(community, bob)
    assert archive_import_publish(batch=batch, by=alice) == 1


def test_the_forwarder_may_remove_their_chain_before_publishing(community, bob):
    batch = start(community, bob)
    archive_import_remove(batch=batch, by=bob)
    assert not Thread.objects.exists() and not ArchiveImport.objects.exists()


def test_a_chain_with_no_emails_is_refused_with_a_reason(community, bob):
    with pytest.raises(ValidationError, match="could not find any emails"):
        chain_import_start(community=community, by=bob, messages=[])


def test_a_member_can_start_only_so_many_chains_a_day(community, bob, settings):
    from notifications.chain_services import CHAINS_PER_DAY

    for number in range(CHAINS_PER_DAY):
        text = samples.OUTLOOK.replace(samples.OPENING, f"{samples.OPENING} ({number})")
        start(community, bob, text)
    with pytest.raises(ValidationError, match="too many conversations from email chains today"):
        start(community, bob, samples.NESTED)


@pytest.mark.parametrize("chain", ["OUTLOOK", "GMAIL", "APPLE", "NESTED"])
def test_every_client_s_chain_is_stored_post_by_post_in_reply_order(community, bob, chain):
    stored = posts(start(community, bob, getattr(samples, chain)))
    expected = ["Priya Shah", bob, "Sam Jones"] + (["Dee Lane"] if chain == "NESTED" else [])
    assert [p.author or p.archived_author_name for p in stored] == expected
    assert [p.parent for p in stored] == [None, *stored[:-1]]
    # Each keeps its own words (and a sign-off, as the inbound path does), not the others'.
    assert [p.body.split("\n")[0] for p in stored[:3]] == [samples.OPENING, samples.ANSWER, samples.ADDITION]
