import pytest

from tests.factories import CommunityFactory, MembershipFactory, make_thread


@pytest.fixture
def community(alice, bob):
    """A public community: alice facilitates, bob is a member."""
    community = CommunityFactory(name="Social media", slug="social-media")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def private_community(alice, bob):
    community = CommunityFactory(name="Press officers", slug="press-officers", visibility="private")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def thread(community, bob):
    return make_thread(community=community, author=bob, title="Election period comments", body="What do you do?")


@pytest.fixture
def private_thread(private_community, bob):
    return make_thread(community=private_community, author=bob, title="Embargoed statement", body="Secret plans")
