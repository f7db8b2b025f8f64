"""Latest against the permission matrix: every role × visibility × filter sees the
thread exactly when the policy lets them read it (and the filter picks it)."""

import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_thread
from tests.matrix import CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db

ACTIVE_MEMBERS = {"member", "facilitator", "owner"}
# filter name: (query string, who the filter keeps among those who may read; None: all).
FILTERS = {
    "none": ({}, None),
    "newest": ({"sort": "newest"}, None),
    "community": ({"community": "{slug}"}, None),
    "type": ({"kind": "question"}, None),
    "unanswered": ({"unanswered": "on"}, None),
    "tag": ({"tag": "matrix-tag"}, None),
    # A visitor is not offered the member filters: they see what they may read.
    "communities mine": ({"communities": "mine"}, ACTIVE_MEMBERS | {"anonymous"}),
    "organisations like mine": ({"like_mine": "on"}, None),
}


def build(visibility: str):
    community, cast = community_with_cast(visibility)
    council = OrganisationFactory(name="Matrix Council", kind="local_authority", region="London")
    for user in cast.values():
        if user is not None:
            user.organisation = council
            user.save(update_fields=["organisation"])
    poster = UserFactory(username=f"poster_{visibility}", organisation=council)
    MembershipFactory(community=community, user=poster)
    title = f"Matrix latest {visibility}"
    make_thread(community=community, author=poster, title=title, tags=["matrix-tag"])
    return community, cast, title


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("name", list(FILTERS))
def test_latest_shows_the_thread_to_exactly_who_may_read_it(name, visibility):
    community, cast, title = build(visibility)
    query, keeps = FILTERS[name]
    query = {key: value.format(slug=community.slug) for key, value in query.items()}
    seen = set()
    for role in ROLES:
        response = client_as(cast[role]).get("/latest/", query)
        assert response.status_code == 200
        if title in response.content.decode():
            seen.add(role)
    expected = CAN_READ[visibility] if keeps is None else CAN_READ[visibility] & keeps
    assert seen == expected
