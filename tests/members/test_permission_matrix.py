"""Profiles in the permission matrix: a member's activity in a community appears on
their profile only to those who may read that community (tests/matrix.py)."""

import pytest
from django.urls import reverse

from tests.factories import make_reply, make_thread
from tests.matrix import CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db

# Who may open profiles at all: signed-in, approved members (anonymous visitors are
# sent to sign in; members awaiting approval get 404).
CAN_SEE_PROFILES = set(ROLES) - {"anonymous", "pending"}


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_profile_shows_community_activity_exactly_to_readers(visibility, role):
    community, cast = community_with_cast(visibility)
    author = cast["owner"]
    thread = make_thread(community=community, author=author, title=f"Owner question in {visibility}")
    make_reply(thread=make_thread(community=community, author=cast["member"], title="Member asks"), author=author)
    response = client_as(cast[role]).get(reverse("member_profile", args=[author.username]))

    if role not in CAN_SEE_PROFILES:
        assert response.status_code == (302 if role == "anonymous" else 404)
        return
    body = response.content.decode()
    assert response.status_code == 200
    readable = role in CAN_READ[visibility]
    assert (thread.title in body) is readable
    assert ("Reply to ‘Member asks’" in body) is readable
    assert (f">{community.name}</a>" in body) is readable


@pytest.mark.parametrize("role", ROLES)
def test_nobody_but_readers_see_a_private_communitys_accepted_answers(role):
    community, cast = community_with_cast("private")
    thread = make_thread(community=community, author=cast["member"], title="Private question")
    answer = make_reply(thread=thread, author=cast["owner"])
    thread.accepted_answer = answer
    thread.save(update_fields=["accepted_answer"])
    response = client_as(cast[role]).get(reverse("member_profile", args=[cast["owner"].username]))
    if role not in CAN_SEE_PROFILES:
        return
    assert response.context["accepted_answers"] == (1 if role in CAN_READ["private"] else 0)
