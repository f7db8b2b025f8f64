"""The permission matrix for community surfaces: every role (tests/matrix.ROLES) ×
every visibility × every surface in SURFACES, asserting exactly what each role
sees and what is refused. A POST that is refused must change nothing.

To add a surface, append a Surface to SURFACES: how to reach it, what each role
should get (`expect`), and for POSTs how to tell whether it did anything
(`changed`). Outcomes:

  "ok"        GET answered 200 (or the community is listed, for the directory)
  "absent"    the directory does not list the community
  "done"      the POST did what it asks (state changed)
  "kept"      the POST was answered but refused with a message (state unchanged)
  403 / 404   refused; 404 where the community may not be seen at all
  "login"     sent to sign in
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user
from django.db import transaction
from django.urls import reverse

from communities.models import Invitation, Membership
from tests.communities.factories import invite
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, form_token
from tests.matrix import (
    CAN_MANAGE_ROLES,
    CAN_MODERATE,
    CAN_READ,
    CAN_SEE_MEMBERS,
    ROLES,
    VISIBILITIES,
    client_as,
    community_with_cast,
)

pytestmark = pytest.mark.django_db

Status = Membership.Status


@dataclass
class Scene:
    """A community with the cast, plus the people and things the surfaces act on."""

    community: object
    cast: dict
    target: Membership  # an ordinary member, for role/remove/ban
    applicant: Membership  # a pending request, for approve/decline
    invitation: Invitation  # an outstanding invitation, for revoke/resend

    def membership(self, role: str) -> Membership | None:
        user = self.cast[role]
        return None if user is None else Membership.objects.filter(community=self.community, user=user).first()


def build_scene(visibility: str, join_policy: str) -> Scene:
    community, cast = community_with_cast(visibility, join_policy=join_policy)
    target = MembershipFactory(community=community, user=UserFactory(username=f"target_{visibility}"))
    applicant = MembershipFactory(
        community=community, user=UserFactory(username=f"applicant_{visibility}"), status=Status.PENDING
    )
    invite(community, cast["owner"], f"invitee-{visibility}@kent.gov.uk")
    return Scene(community, cast, target, applicant, Invitation.objects.get(community=community))


# Expected outcomes -------------------------------------------------------------------


def signed_in_first(rule: Callable[[str, str], object]) -> Callable[[str, str], object]:
    """Pages behind sign-in: visitors go to sign in; hidden communities are 404."""

    def expect(role: str, visibility: str):
        if role == "anonymous":
            return "login"
        if role not in CAN_READ[visibility]:
            return 404
        return rule(role, visibility)

    return expect


@signed_in_first
def moderators_only(role, visibility):
    return "ok" if role in CAN_MODERATE else 403


@signed_in_first
def members_see(role, visibility):
    # Who belongs is for those who belong; other readers are not told it exists.
    return "ok" if role in CAN_SEE_MEMBERS else 404


@signed_in_first
def moderators_act(role, visibility):
    return "done" if role in CAN_MODERATE else 403


@signed_in_first
def moderators_look(role, visibility):
    # A POST that only shows a page (the invitations preview): answered, nothing changed.
    return "kept" if role in CAN_MODERATE else 403


@signed_in_first
def role_managers_act(role, visibility):
    return "done" if role in CAN_MANAGE_ROLES else 403


@signed_in_first
def newcomers_join(role, visibility):
    # Approved people with no membership yet; the pending site member may only read.
    return "done" if role in {"outsider", "site_admin"} else 403


@signed_in_first
def members_leave(role, visibility):
    if role == "owner":
        return "kept"  # the last owner stays, with a message
    return "done" if role in {"member", "facilitator"} else 403


def readers(role, visibility):
    return "ok" if role in CAN_READ[visibility] else 404


def listed_for_readers(role, visibility):
    return "ok" if role in CAN_READ[visibility] else "absent"


# Surfaces ------------------------------------------------------------------------------


def slug_url(name: str, **extra) -> Callable[[Scene], str]:
    def build(scene: Scene) -> str:
        kwargs = {"slug": scene.community.slug}
        kwargs.update({key: getter(scene) for key, getter in extra.items()})
        return reverse(name, kwargs=kwargs)

    return build


def own_membership(scene: Scene, role: str):
    user = scene.cast[role]
    if user is None:
        return None
    return Membership.objects.filter(community=scene.community, user=user).values_list("status", "role").first()


def row(model, pk: int, *fields: str):
    return model.objects.filter(pk=pk).values_list(*fields).first()


@dataclass(frozen=True)
class Surface:
    name: str
    method: str
    url: Callable[[Scene], str]
    expect: Callable[[str, str], object]
    data: Callable[[Scene], dict] = field(default=lambda scene: {})
    # For POSTs: a snapshot of what the request acts on (scene, acting role); "done"
    # means the snapshot changed.
    state: Callable[[Scene, str], object] | None = None
    join_policy: str = "open"


SURFACES = [
    Surface("directory listing", "get", lambda s: reverse("community_directory"), listed_for_readers),
    Surface("community home", "get", slug_url("community_home"), readers),
    Surface("members page", "get", slug_url("community_members"), members_see),
    Surface("requests page", "get", slug_url("community_requests"), moderators_only),
    Surface("invite page", "get", slug_url("community_invite"), moderators_only),
    Surface("join", "post", slug_url("community_join"), newcomers_join, state=own_membership),
    Surface(
        "ask to join", "post", slug_url("community_join"), newcomers_join, state=own_membership, join_policy="request"
    ),
    Surface("leave", "post", slug_url("community_leave"), members_leave, state=own_membership),
    Surface(
        "approve request",
        "post",
        slug_url("request_approve", pk=lambda s: s.applicant.pk),
        moderators_act,
        state=lambda s, role: row(Membership, s.applicant.pk, "status"),
    ),
    Surface(
        "decline request",
        "post",
        slug_url("request_decline", pk=lambda s: s.applicant.pk),
        moderators_act,
        data=lambda s: {"reason": "This community is for council staff."},
        state=lambda s, role: row(Membership, s.applicant.pk, "status"),
    ),
    Surface(
        "change role",
        "post",
        slug_url("membership_change_role", pk=lambda s: s.target.pk),
        role_managers_act,
        data=lambda s: {"role": "facilitator"},
        state=lambda s, role: row(Membership, s.target.pk, "status", "role"),
    ),
    Surface(
        "remove member",
        "post",
        slug_url("membership_remove", pk=lambda s: s.target.pk),
        moderators_act,
        state=lambda s, role: row(Membership, s.target.pk, "status", "role"),
    ),
    Surface(
        "ban member",
        "post",
        slug_url("membership_ban", pk=lambda s: s.target.pk),
        moderators_act,
        data=lambda s: {"reason": "Shared residents' personal data."},
        state=lambda s, role: row(Membership, s.target.pk, "status", "role"),
    ),
    Surface(
        "preview invitations",
        "post",
        slug_url("community_invite"),
        moderators_look,
        data=lambda s: {"addresses": '"New Person" <new.person@kent.gov.uk>'},
        state=lambda s, role: Invitation.objects.filter(community=s.community).count(),
    ),
    Surface(
        "send invitations",
        "post",
        slug_url("community_invite_send"),
        moderators_act,
        data=lambda s: {"addresses": '"New Person" <new.person@kent.gov.uk>'},
        state=lambda s, role: Invitation.objects.filter(community=s.community).count(),
    ),
    Surface(
        "revoke invitation",
        "post",
        slug_url("invitation_revoke", pk=lambda s: s.invitation.pk),
        moderators_act,
        state=lambda s, role: row(Invitation, s.invitation.pk, "status", "token_hash"),
    ),
    Surface(
        "resend invitation",
        "post",
        slug_url("invitation_resend", pk=lambda s: s.invitation.pk),
        moderators_act,
        state=lambda s, role: row(Invitation, s.invitation.pk, "status", "token_hash"),
    ),
]
POST_SURFACES = [s for s in SURFACES if s.method == "post" and s.name not in {"join", "ask to join", "leave"}]


def observe(surface: Surface, scene: Scene, client) -> object:
    """What happened, in the vocabulary of the module docstring."""
    data, user = surface.data(scene), get_user(client)
    if surface.method == "post" and user.is_authenticated:
        data = {**data, "form_token": form_token(user)}  # as a form's page gives it (core.once)
    response = getattr(client, surface.method)(surface.url(scene), data)
    if response.status_code == 302 and reverse("account_login") in response.url:
        return "login"
    if response.status_code in (403, 404, 405):
        return response.status_code
    if surface.name == "directory listing":
        listed = any(c.pk == scene.community.pk for c in response.context["page_obj"])
        return "ok" if listed else "absent"
    if surface.method == "get":
        return "ok" if response.status_code == 200 else response.status_code
    return None  # decided by `changed`


def outcome_for(surface: Surface, scene: Scene, role: str, client=None) -> object:
    before = surface.state(scene, role) if surface.state else None
    seen = observe(surface, scene, client or client_as(scene.cast[role]))
    if surface.method == "get":
        return seen
    did_change = surface.state(scene, role) != before
    if seen is None:
        return "done" if did_change else "kept"
    # A refusal must change nothing: report it loudly if it did.
    return f"{seen} but changed" if did_change else seen


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_every_role_gets_exactly_what_the_policy_allows(surface, visibility):
    scene = build_scene(visibility, surface.join_policy)
    clients = {role: client_as(scene.cast[role]) for role in ROLES}  # signed in once, outside the rollbacks
    actual, expected = {}, {}
    for role in ROLES:
        # Each role acts on the same starting state: roll back after each.
        with transaction.atomic():
            actual[role] = outcome_for(surface, scene, role, clients[role])
            transaction.set_rollback(True)
        expected[role] = surface.expect(role, visibility)
    assert actual == expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", POST_SURFACES, ids=lambda s: s.name)
def test_another_communitys_facilitator_is_refused_and_changes_nothing(surface, visibility):
    scene = build_scene(visibility, surface.join_policy)
    intruder = UserFactory(username="intruder")
    MembershipFactory(community=CommunityFactory(slug="elsewhere"), user=intruder, role="facilitator")
    scene.cast["intruder"] = intruder
    outcome = outcome_for(surface, scene, "intruder")
    assert outcome == (403 if "outsider" in CAN_READ[visibility] else 404)


# Site-level surfaces: proposing and reviewing communities, the same for every role
# whatever a community's visibility. (name, method, url, data, expect: role -> outcome)

SITE_SURFACES = [
    ("propose page", "get", lambda p: reverse("community_propose"), {}, {"anonymous": "login", "pending": 403}, "ok"),
    ("proposals page", "get", lambda p: reverse("community_proposals"), {}, {"anonymous": "login"}, 403),
    (
        "approve proposal",
        "post",
        lambda p: reverse("community_proposal_approve", kwargs={"slug": p.slug}),
        {},
        {"anonymous": "login"},
        403,
    ),
    (
        "decline proposal",
        "post",
        lambda p: reverse("community_proposal_decline", kwargs={"slug": p.slug}),
        {"reason": "There is already a community for this."},
        {"anonymous": "login"},
        403,
    ),
]
SITE_ADMIN_OUTCOME = {
    "propose page": "ok",
    "proposals page": "ok",
    "approve proposal": "done",
    "decline proposal": "done",
}


@pytest.mark.parametrize(
    ("name", "method", "url", "data", "special", "default"), SITE_SURFACES, ids=[s[0] for s in SITE_SURFACES]
)
def test_only_site_admins_review_proposals(name, method, url, data, special, default):
    _, cast = community_with_cast("public")
    proposal = CommunityFactory(slug="proposed", status="proposed", created_by=cast["member"])
    actual, expected = {}, {}
    for role in ROLES:
        with transaction.atomic():
            response = getattr(client_as(cast[role]), method)(url(proposal), data)
            changed = not type(proposal).objects.filter(pk=proposal.pk, status="proposed").exists()
            if response.status_code == 302 and reverse("account_login") in response.url:
                actual[role] = "login"
            elif response.status_code in (403, 404):
                actual[role] = f"{response.status_code} but changed" if changed else response.status_code
            elif method == "get":
                actual[role] = "ok" if response.status_code == 200 else response.status_code
            else:
                actual[role] = "done" if changed else "kept"
            transaction.set_rollback(True)
        expected[role] = SITE_ADMIN_OUTCOME[name] if role == "site_admin" else special.get(role, default)
    assert actual == expected
