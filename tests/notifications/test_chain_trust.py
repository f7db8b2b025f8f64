"""A forwarded chain's From lines are typed by its forwarder: it can credit only the
forwarder's own emails to an account, and publishing follows the forwarder's own
posting rules (muted, checked first)."""

import pytest
from django.core.exceptions import ValidationError

from moderation.models import MemberSanction
from notifications import chain_services
from notifications.archive_services import archive_import_publish, import_threads
from notifications.chain_email import chain_ready_send
from notifications.models import OutgoingEmail
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CHAIN = """From: Bob Member <{bob}>
Sent: 02 March 2020 10:15
To: Press officers
Subject: RE: Purdah and comments

We hide nothing, and reply once.

From: {eve_name} <{eve}>
Sent: 02 March 2020 09:00
To: Press officers
Subject: Purdah and comments

Do you hide political comments during the pre-election period?
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def eve(community):
    eve = UserFactory(username="eve", display_name="Eve Member", email="eve@example.gov.uk")
    MembershipFactory(community=community, user=eve)
    return eve


def start(community, by, bob):
    text = CHAIN.format(bob=bob.email, eve=by.email, eve_name=by.name)
    messages = chain_services.chain_messages_from_text(text)
    return chain_services.chain_import_start(community=community, by=by, messages=messages)


def test_a_chain_credits_only_the_forwarders_own_emails_to_an_account(community, eve, bob):
    batch = start(community, eve, bob)
    posts = {post.body.split("\n")[0]: post for thread in import_threads(batch) for post in thread.posts.all()}
    mine = next(p for text, p in posts.items() if "Do you hide" in text)
    bobs = next(p for text, p in posts.items() if "We hide nothing" in text)
    assert mine.author == eve
    assert bobs.author is None and bobs.archived_author_name == "Bob Member"


def test_a_muted_member_cannot_start_a_chain(community, eve, bob, alice):
    MemberSanction.objects.create(community=community, user=eve, kind="mute", message="Off topic", created_by=alice)
    with pytest.raises(ValidationError):
        start(community, eve, bob)


def test_a_member_whose_posts_are_checked_first_leaves_publishing_to_a_facilitator(community, eve, bob, alice):
    batch = start(community, eve, bob)
    MemberSanction.objects.create(
        community=community, user=eve, kind="premoderation", message="New here", created_by=alice
    )
    with pytest.raises(ValidationError):
        archive_import_publish(batch=batch, by=eve)
    assert archive_import_publish(batch=batch, by=alice) == 1


def test_the_chain_ready_email_is_queued_once_however_often_its_task_runs(community, eve, bob, settings):
    settings.EMAIL_BACKEND = "notifications.outbox.QueuedEmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    batch = start(community, eve, bob)

    assert chain_ready_send(batch_id=batch.pk, to=eve.email, checked=True) is True
    assert chain_ready_send(batch_id=batch.pk, to=eve.email, checked=True) is False
    assert OutgoingEmail.objects.filter(to=eve.email).count() == 1
