"""The permission matrix for issue 22's pages: community settings, owners' access and
archiving, the member list's CSV and the welcome page. Same vocabulary as
tests/communities/test_permission_matrix.py: every role × visibility, and a refused
POST must change nothing. People who do not facilitate get 404 for settings pages;
facilitators get 403 for what only owners may do."""

from __future__ import annotations

import pytest
from django.db import transaction

from communities.models import Community
from tests.communities.test_permission_matrix import (
    Surface,
    build_scene,
    outcome_for,
    signed_in_first,
    slug_url,
)
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.matrix import CAN_MANAGE_ROLES, CAN_MODERATE, CAN_SEE_MEMBERS, ROLES, VISIBILITIES, client_as

pytestmark = pytest.mark.django_db


@signed_in_first
def facilitators_only(role, visibility):
    return "ok" if role in CAN_MODERATE else 404


@signed_in_first
def facilitators_act(role, visibility):
    return "done" if role in CAN_MODERATE else 404


@signed_in_first
def owners_only(role, visibility):
    if role in CAN_MANAGE_ROLES:
        return "ok"
    return 403 if role in CAN_MODERATE else 404


@signed_in_first
def owners_act(role, visibility):
    if role in CAN_MANAGE_ROLES:
        return "done"
    return 403 if role in CAN_MODERATE else 404


@signed_in_first
def members_csv(role, visibility):
    if role in CAN_MODERATE:
        return "ok"
    return 403 if role in CAN_SEE_MEMBERS else 404


@signed_in_first
def active_members_only(role, visibility):
    return "ok" if role in {"member", "facilitator", "owner"} else 404


def community_row(scene, role):
    return Community.objects.filter(pk=scene.community.pk).values_list(
        "guidelines", "visibility", "join_policy", "status"
    )[0]


SETTINGS_DATA = {
    "description": "For council press officers.",
    "guidelines": "Be kind. **No** names of residents.",
    "topics": "elections, media",
    "welcome_message": "Hello!",
    "posting_address_enabled": "on",
    "announcements_by": "facilitators",
}

SURFACES = [
    Surface("settings page", "get", slug_url("community_settings"), facilitators_only),
    Surface(
        "save settings",
        "post",
        slug_url("community_settings"),
        facilitators_act,
        data=lambda s: SETTINGS_DATA,
        state=community_row,
    ),
    Surface("access page", "get", slug_url("community_access"), owners_only),
    Surface(
        "change join policy",
        "post",
        slug_url("community_access"),
        owners_act,
        data=lambda s: {"visibility": s.community.visibility, "join_policy": "invite"},
        state=community_row,
    ),
    Surface(
        "confirm access",
        "post",
        slug_url("community_access_confirm"),
        owners_act,
        data=lambda s: {"visibility": "public", "join_policy": "request"},
        state=community_row,
    ),
    Surface("archive", "post", slug_url("community_archive"), owners_act, state=community_row),
    Surface("members CSV", "get", slug_url("community_members_csv"), members_csv),
    Surface("welcome page", "get", slug_url("community_welcome"), active_members_only),
]


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_every_role_gets_exactly_what_the_policy_allows(surface, visibility):
    scene = build_scene(visibility, surface.join_policy)
    Community.objects.filter(pk=scene.community.pk).update(welcome_message="Hi", welcome_message_html="<p>Hi</p>")
    scene.community.refresh_from_db()
    clients = {role: client_as(scene.cast[role]) for role in ROLES}
    actual, expected = {}, {}
    for role in ROLES:
        with transaction.atomic():
            actual[role] = outcome_for(surface, scene, role, clients[role])
            transaction.set_rollback(True)
        expected[role] = surface.expect(role, visibility)
    assert actual == expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", [s for s in SURFACES if s.method == "post"], ids=lambda s: s.name)
def test_another_communitys_owner_is_refused_and_changes_nothing(surface, visibility):
    scene = build_scene(visibility, surface.join_policy)
    intruder = UserFactory(username="intruder")
    MembershipFactory(community=CommunityFactory(slug="elsewhere"), user=intruder, role="owner")
    scene.cast["intruder"] = intruder
    assert outcome_for(surface, scene, "intruder") == 404
