import pytest

from tests.factories import CommunityFactory, MembershipFactory, UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="olive", display_name="Olive Owner")


@pytest.fixture
def community(alice, bob, owner):
    """A private community: olive owns it, alice facilitates, bob is a member."""
    community = CommunityFactory(name="Press office", slug="press-office", visibility="private")
    MembershipFactory(community=community, user=owner, role="owner")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community
