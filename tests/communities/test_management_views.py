"""Facilitators' pages through HTTP: members, roles, remove, ban, requests, invite."""

import pytest
from django.urls import reverse

from communities.models import Community, Invitation, Membership
from tests.communities.factories import community_run_by, invite
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, form_token

pytestmark = pytest.mark.django_db

Status = Membership.Status


def url(name, community, **kwargs) -> str:
    return reverse(name, kwargs={"slug": community.slug, **kwargs})


@pytest.fixture
def community(alice):
    return community_run_by(alice, visibility="members_only", join_policy="request")


@pytest.fixture
def owner(community):
    return Membership.objects.get(community=community, role="owner").user


@pytest.fixture
def bobs(community, bob):
    return MembershipFactory(community=community, user=bob)


# Members page -------------------------------------------------------------------


def test_members_page_lists_roles_and_statuses(client, alice, community, bobs, charlie):
    MembershipFactory(community=community, user=charlie, status=Status.BANNED, ban_reason="Spam links")
    client.force_login(alice)
    response = client.get(url("community_members", community))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bob Member" in body and "Facilitator" in body and "Owner" in body
    assert "Banned" in body and "Spam links" in body


def test_facilitator_sees_remove_and_ban_for_members_but_not_for_the_owner(client, alice, community, bobs, owner):
    client.force_login(alice)
    body = client.get(url("community_members", community)).content.decode()
    assert url("membership_remove", community, pk=bobs.pk) in body
    owner_membership = Membership.objects.get(community=community, user=owner)
    assert url("membership_remove", community, pk=owner_membership.pk) not in body
    assert url("membership_change_role", community, pk=bobs.pk) not in body


def test_owner_sees_role_controls(client, community, bobs, owner):
    client.force_login(owner)
    assert (
        url("membership_change_role", community, pk=bobs.pk)
        in client.get(url("community_members", community)).content.decode()
    )


def test_members_page_shows_members_no_management(client, community, bobs, bob):
    # Members see who belongs (issue 22), but not the facilitators' controls.
    client.force_login(bob)
    response = client.get(url("community_members", community))
    assert response.status_code == 200
    assert url("membership_remove", community, pk=bobs.pk) not in response.content.decode()


def test_members_page_is_404_for_those_who_cannot_see_the_community(client, charlie):
    private = community_run_by(UserFactory(), visibility="private")
    client.force_login(charlie)
    assert client.get(url("community_members", private)).status_code == 404


def test_members_page_sends_visitors_to_sign_in(client, community):
    response = client.get(url("community_members", community))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_members_page_refuses_post(client, alice, community):
    client.force_login(alice)
    assert client.post(url("community_members", community)).status_code == 405


def test_facilitator_of_another_community_gets_403_on_a_community_they_can_see(client, charlie, community):
    community_run_by(charlie)
    client.force_login(charlie)
    assert client.get(url("community_requests", community)).status_code == 403


def test_members_page_query_count_is_fixed(client, alice, community, django_assert_max_num_queries):
    client.force_login(alice)
    MembershipFactory(community=community)
    with django_assert_max_num_queries(20) as few:
        client.get(url("community_members", community))
    for _ in range(10):
        MembershipFactory(community=community)
    with django_assert_max_num_queries(20) as many:
        client.get(url("community_members", community))
    assert len(many) == len(few)


# Role, remove, ban --------------------------------------------------------------


def test_owner_changes_a_role(client, community, bobs, owner):
    client.force_login(owner)
    response = client.post(url("membership_change_role", community, pk=bobs.pk), {"role": "facilitator"})
    assert response.status_code == 302
    assert Membership.objects.get(pk=bobs.pk).role == "facilitator"


def test_facilitator_cannot_change_roles(client, alice, community, bobs):
    client.force_login(alice)
    assert client.post(url("membership_change_role", community, pk=bobs.pk), {"role": "owner"}).status_code == 403
    assert Membership.objects.get(pk=bobs.pk).role == "member"


def test_change_role_rejects_an_unknown_role(client, community, bobs, owner):
    client.force_login(owner)
    client.post(url("membership_change_role", community, pk=bobs.pk), {"role": "emperor"})
    assert Membership.objects.get(pk=bobs.pk).role == "member"


def test_change_role_refuses_get(client, community, bobs, owner):
    client.force_login(owner)
    assert client.get(url("membership_change_role", community, pk=bobs.pk)).status_code == 405


def test_membership_of_another_community_is_404(client, alice, community):
    elsewhere = MembershipFactory(community=CommunityFactory())
    client.force_login(alice)
    assert client.post(url("membership_remove", community, pk=elsewhere.pk)).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_facilitator_removes_a_member(client, alice, community, bobs):
    client.force_login(alice)
    response = client.post(url("membership_remove", community, pk=bobs.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=bobs.pk).exists()


def test_facilitator_cannot_remove_the_owner(client, alice, community, owner):
    owner_membership = Membership.objects.get(community=community, user=owner)
    client.force_login(alice)
    assert client.post(url("membership_remove", community, pk=owner_membership.pk)).status_code == 403
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


def test_member_cannot_remove_another_member(client, community, bobs, charlie):
    other = MembershipFactory(community=community, user=charlie)
    client.force_login(bobs.user)
    assert client.post(url("membership_remove", community, pk=other.pk)).status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()


def test_ban_page_asks_for_a_reason(client, alice, community, bobs):
    client.force_login(alice)
    response = client.get(url("membership_ban", community, pk=bobs.pk))
    assert response.status_code == 200
    assert "Ban Bob Member" in response.content.decode()


def test_ban_without_a_reason_shows_the_error(client, alice, community, bobs):
    client.force_login(alice)
    response = client.post(url("membership_ban", community, pk=bobs.pk), {"reason": ""})
    assert response.status_code == 200
    assert "Enter a reason" in response.content.decode()
    assert Membership.objects.get(pk=bobs.pk).status == Status.ACTIVE


def test_facilitator_bans_with_a_reason(client, alice, community, bobs):
    client.force_login(alice)
    response = client.post(url("membership_ban", community, pk=bobs.pk), {"reason": "Posted residents' addresses"})
    assert response.status_code == 302
    banned = Membership.objects.get(pk=bobs.pk)
    assert banned.status == Status.BANNED and banned.ban_reason == "Posted residents' addresses"


def test_ban_by_a_member_is_403(client, community, bobs, charlie):
    other = MembershipFactory(community=community, user=charlie)
    client.force_login(bobs.user)
    assert client.post(url("membership_ban", community, pk=other.pk), {"reason": "No"}).status_code == 403
    assert Membership.objects.get(pk=other.pk).status == Status.ACTIVE


def test_ban_refuses_put(client, alice, community, bobs):
    client.force_login(alice)
    assert client.put(url("membership_ban", community, pk=bobs.pk)).status_code == 405


# Requests -----------------------------------------------------------------------


@pytest.fixture
def request_from_charlie(community, charlie):
    return MembershipFactory(community=community, user=charlie, status=Status.PENDING)


def test_requests_page_lists_pending_requests(client, alice, community, request_from_charlie):
    client.force_login(alice)
    response = client.get(url("community_requests", community))
    assert response.status_code == 200
    assert "Charlie Outsider" in response.content.decode()


def test_requests_page_is_403_for_members(client, community, bobs):
    client.force_login(bobs.user)
    assert client.get(url("community_requests", community)).status_code == 403


def test_requests_page_refuses_post(client, alice, community):
    client.force_login(alice)
    assert client.post(url("community_requests", community)).status_code == 405


def test_requests_page_query_count_is_fixed(client, alice, community, django_assert_max_num_queries):
    client.force_login(alice)
    MembershipFactory(community=community, status=Status.PENDING)
    with django_assert_max_num_queries(20) as few:
        client.get(url("community_requests", community))
    for _ in range(10):
        MembershipFactory(community=community, status=Status.PENDING)
    with django_assert_max_num_queries(20) as many:
        client.get(url("community_requests", community))
    assert len(many) == len(few)


def test_facilitator_approves_a_request(client, alice, community, request_from_charlie):
    client.force_login(alice)
    response = client.post(url("request_approve", community, pk=request_from_charlie.pk))
    assert response.status_code == 302
    assert Membership.objects.get(pk=request_from_charlie.pk).status == Status.ACTIVE


def test_facilitator_declines_a_request_with_a_reason(client, alice, community, request_from_charlie, mailoutbox):
    client.force_login(alice)
    assert client.get(url("request_decline", community, pk=request_from_charlie.pk)).status_code == 200
    response = client.post(
        url("request_decline", community, pk=request_from_charlie.pk), {"reason": "Council staff only"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=request_from_charlie.pk).exists()


def test_member_cannot_approve_a_request(client, community, bobs, request_from_charlie):
    client.force_login(bobs.user)
    assert client.post(url("request_approve", community, pk=request_from_charlie.pk)).status_code == 403
    assert Membership.objects.get(pk=request_from_charlie.pk).status == Status.PENDING


def test_approving_an_active_membership_is_404(client, alice, community, bobs):
    client.force_login(alice)
    assert client.post(url("request_approve", community, pk=bobs.pk)).status_code == 404


# Invite page --------------------------------------------------------------------


def test_invite_page_renders_for_facilitators(client, alice, community):
    client.force_login(alice)
    response = client.get(url("community_invite", community))
    assert response.status_code == 200
    assert "Email addresses" in response.content.decode()


def test_empty_invite_shows_the_error_and_keeps_the_page(client, alice, community):
    client.force_login(alice)
    response = client.post(url("community_invite", community), {"addresses": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_is_403_for_members(client, community, bobs):
    client.force_login(bobs.user)
    assert client.post(url("community_invite", community), {"addresses": "a@b.gov.uk"}).status_code == 403
    assert not Invitation.objects.exists()


def test_invite_is_404_for_hidden_communities(client, charlie):
    private = community_run_by(UserFactory(), visibility="private")
    client.force_login(charlie)
    assert client.post(url("community_invite", private), {"addresses": "a@b.gov.uk"}).status_code == 404
    assert not Invitation.objects.exists()


def test_invite_refuses_put(client, alice, community):
    client.force_login(alice)
    assert client.put(url("community_invite", community)).status_code == 405


def test_invite_page_lists_invitations_with_revoke_and_resend(client, alice, community):
    invite(community, alice, "priya@kent.gov.uk")
    invitation = Invitation.objects.get()
    client.force_login(alice)
    body = client.get(url("community_invite", community)).content.decode()
    assert "priya@kent.gov.uk" in body
    assert url("invitation_revoke", community, pk=invitation.pk) in body
    assert url("invitation_resend", community, pk=invitation.pk) in body


def test_invite_page_query_count_is_fixed(client, alice, community, django_assert_max_num_queries):
    client.force_login(alice)
    invite(community, alice, "one@kent.gov.uk")
    with django_assert_max_num_queries(20) as few:
        client.get(url("community_invite", community))
    invite(community, alice, *[f"person{n}@kent.gov.uk" for n in range(10)])
    with django_assert_max_num_queries(20) as many:
        client.get(url("community_invite", community))
    assert len(many) == len(few)


def test_revoke_and_resend_through_http(client, alice, community, mailoutbox):
    invite(community, alice, "priya@kent.gov.uk")
    invitation = Invitation.objects.get()
    client.force_login(alice)
    assert client.post(url("invitation_resend", community, pk=invitation.pk)).status_code == 302
    assert client.post(url("invitation_revoke", community, pk=invitation.pk)).status_code == 302
    assert Invitation.objects.get().status == Invitation.Status.REVOKED


def test_revoke_by_another_communitys_facilitator_changes_nothing(client, alice, charlie, community):
    community_run_by(charlie)
    invite(community, alice, "priya@kent.gov.uk")
    invitation = Invitation.objects.get()
    client.force_login(charlie)
    assert client.post(url("invitation_revoke", community, pk=invitation.pk)).status_code == 403
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_revoke_refuses_get(client, alice, community):
    invite(community, alice, "priya@kent.gov.uk")
    client.force_login(alice)
    assert client.get(url("invitation_revoke", community, pk=Invitation.objects.get().pk)).status_code == 405


# Proposals ----------------------------------------------------------------------

PROPOSAL = {
    "name": "Pre-election period",
    "summary": "Handling comments during the pre-election period.",
    "description": "Council press officers.",
    "visibility": "members_only",
    "join_policy": "open",
}


def test_member_proposes_a_community(client, bob):
    client.force_login(bob)
    assert client.get(reverse("community_propose")).status_code == 200
    response = client.post(reverse("community_propose"), {**PROPOSAL, "form_token": form_token(bob)})
    community = Community.objects.get(name="Pre-election period")
    assert response.url == community.get_absolute_url()
    assert community.status == Community.Status.PROPOSED


def test_proposal_with_a_taken_name_comes_back_filled_in(client, bob):
    CommunityFactory(name="Pre-election period")
    client.force_login(bob)
    response = client.post(reverse("community_propose"), PROPOSAL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "already exists" in body
    assert "Handling comments during the pre-election period." in body


def test_pending_member_cannot_propose(client, erin):
    client.force_login(erin)
    assert client.post(reverse("community_propose"), PROPOSAL).status_code == 403
    assert not Community.objects.exists()


def test_propose_sends_visitors_to_sign_in(client):
    assert client.get(reverse("community_propose")).status_code == 302


def test_propose_refuses_put(client, bob):
    client.force_login(bob)
    assert client.put(reverse("community_propose")).status_code == 405


def test_site_admin_sees_and_approves_proposals(client, bob, dora):
    proposal = CommunityFactory(name="Pre-election period", status=Community.Status.PROPOSED, created_by=bob)
    client.force_login(dora)
    assert "Pre-election period" in client.get(reverse("community_proposals")).content.decode()
    response = client.post(reverse("community_proposal_approve", kwargs={"slug": proposal.slug}))
    assert response.status_code == 302
    assert Community.objects.get(pk=proposal.pk).status == Community.Status.ACTIVE
    assert Membership.objects.get(community=proposal, user=bob).role == "owner"


def test_site_admin_declines_a_proposal_with_a_reason(client, bob, dora):
    proposal = CommunityFactory(status=Community.Status.PROPOSED, created_by=bob)
    client.force_login(dora)
    decline = reverse("community_proposal_decline", kwargs={"slug": proposal.slug})
    assert "Enter a reason" in client.post(decline, {"reason": ""}).content.decode()
    assert client.post(decline, {"reason": "Join the elections community"}).status_code == 302
    assert Community.objects.get(pk=proposal.pk).decision_reason == "Join the elections community"


def test_members_cannot_see_or_decide_proposals(client, alice, bob):
    proposal = CommunityFactory(status=Community.Status.PROPOSED, created_by=bob)
    client.force_login(alice)
    assert client.get(reverse("community_proposals")).status_code == 403
    assert client.post(reverse("community_proposal_approve", kwargs={"slug": proposal.slug})).status_code == 403
    assert Community.objects.get(pk=proposal.pk).status == Community.Status.PROPOSED


def test_approve_refuses_get(client, dora):
    proposal = CommunityFactory(status=Community.Status.PROPOSED)
    client.force_login(dora)
    assert client.get(reverse("community_proposal_approve", kwargs={"slug": proposal.slug})).status_code == 405


def test_approving_an_active_community_is_404(client, dora):
    client.force_login(dora)
    active = CommunityFactory()
    assert client.post(reverse("community_proposal_approve", kwargs={"slug": active.slug})).status_code == 404


def test_proposals_query_count_is_fixed(client, dora, django_assert_max_num_queries):
    client.force_login(dora)
    CommunityFactory(status=Community.Status.PROPOSED, created_by=UserFactory())
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("community_proposals"))
    for _ in range(8):
        CommunityFactory(status=Community.Status.PROPOSED, created_by=UserFactory())
    with django_assert_max_num_queries(15) as many:
        client.get(reverse("community_proposals"))
    assert len(many) == len(few)
