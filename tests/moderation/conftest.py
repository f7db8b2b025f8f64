"""A community with alice (facilitator) and bob (member); charlie is a member of
another community only."""

import pytest

from tests.factories import CommunityFactory, MembershipFactory


@pytest.fixture
def community(alice, bob):
    community = CommunityFactory(name="Crisis communications", slug="crisis-comms", member_count=2)
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def other_community(charlie):
    community = CommunityFactory(name="Internal communications", slug="internal-comms", member_count=1)
    MembershipFactory(community=community, user=charlie, role="facilitator")
    return community


@pytest.fixture
def premoderation(settings):
    """Communities hold a new member's first post, as in production."""
    settings.MODERATION_DEFAULT_HOLD_FIRST_POSTS = 1
