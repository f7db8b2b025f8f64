import pytest

from tests.factories import CommunityFactory, MembershipFactory


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    # Tasks run as they are enqueued (after commit); test_delivery.py also drives the
    # real database backend and its worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://commsnet.example.gov.uk"
    settings.REPLY_DOMAIN = "reply.commsnet.example.gov.uk"
    settings.POST_DOMAIN = "post.commsnet.example.gov.uk"
    settings.INBOUND_AUTHSERV_IDS = ["mx.commsnet.example.gov.uk"]


@pytest.fixture
def community(alice, bob):
    """A public community: alice facilitates, bob is a member."""
    community = CommunityFactory(name="Crisis communications", slug="crisis-comms")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def private_community(alice, bob):
    community = CommunityFactory(name="Police press officers", slug="police-press", visibility="private")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit work (events, task enqueues) as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
