"""Feeds against the permission matrix: a plain address serves what a visitor may read;
a personal address what its owner may read now (pending owners get nothing)."""

import pytest
from django.urls import reverse

from feeds.services import feed_token_renew
from tests.factories import MembershipFactory, UserFactory, make_thread
from tests.matrix import CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db

SURFACES = {
    "latest": lambda c: ("feed_latest", []),
    "community": lambda c: ("feed_community", [c["community"].slug]),
    "tag": lambda c: ("feed_tag", ["matrix-tag"]),
    "thread": lambda c: ("feed_thread", [c["thread"].pk]),
}


def build(visibility: str) -> dict:
    community, cast = community_with_cast(visibility)
    poster = UserFactory(username=f"poster_{visibility}")
    MembershipFactory(community=community, user=poster)
    thread = make_thread(community=community, author=poster, title=f"Feed matrix {visibility}", tags=["matrix-tag"])
    return {"community": community, "cast": cast, "thread": thread}


def fetch(ctx, surface: str, key: str | None):
    name, args = SURFACES[surface](ctx)
    if key is not None:
        name, args = f"personal_{name}", [key, *args]
    return client_as(None).get(reverse(name, args=args))


def outcome(response, title: str) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    return "shown" if title in response.content.decode() else "left out"


def expected(surface: str, allowed: bool) -> str:
    if allowed:
        return "shown"
    return "left out" if surface == "latest" else "404"


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_plain_feed_serves_only_what_a_visitor_may_read(surface, visibility):
    ctx = build(visibility)
    assert outcome(fetch(ctx, surface, None), ctx["thread"].title) == expected(surface, visibility == "public")


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_personal_feed_serves_exactly_what_its_owner_may_read(surface, visibility):
    ctx = build(visibility)
    results, wanted = {}, {}
    for role in ROLES:
        if role == "anonymous":
            continue
        key = feed_token_renew(user=ctx["cast"][role]).key
        results[role] = outcome(fetch(ctx, surface, key), ctx["thread"].title)
        # A pending member's address answers nothing until they are approved.
        wanted[role] = "404" if role == "pending" else expected(surface, role in CAN_READ[visibility])
    assert results == wanted
