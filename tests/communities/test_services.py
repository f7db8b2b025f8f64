"""Membership and proposal services: each rule, counters and emails."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from communities import permissions, services
from communities.models import Community, Membership
from tests.communities.factories import community_run_by
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Role, Status = Membership.Role, Membership.Status


def fresh(community) -> Community:
    return Community.objects.get(pk=community.pk)


def membership(community, user) -> Membership | None:
    return Membership.objects.filter(community=community, user=user).first()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (emails) as if the transaction committed."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


# Joining ------------------------------------------------------------------------


def test_joining_an_open_community_makes_an_active_member_and_counts_them(alice, bob):
    community = community_run_by(alice)
    before = fresh(community).last_activity_at
    services.membership_join(community=community, user=bob)
    assert membership(community, bob).status == Status.ACTIVE
    assert fresh(community).member_count == 3
    assert fresh(community).last_activity_at > before


def test_asking_to_join_makes_a_pending_request_and_emails_the_facilitators(alice, bob, on_commit, mailoutbox):
    community = community_run_by(alice, join_policy="request")
    with on_commit():
        services.membership_join(community=community, user=bob)
    assert membership(community, bob).status == Status.PENDING
    assert fresh(community).member_count == 2
    assert len(mailoutbox) == 1
    assert alice.email in mailoutbox[0].to
    assert "Bob Member asked to join" in mailoutbox[0].subject
    assert "/requests/" in mailoutbox[0].body


def test_joining_an_invitation_only_community_is_refused(alice, bob):
    community = community_run_by(alice, join_policy="invite")
    with pytest.raises(services.MembershipError, match="by invitation only"):
        services.membership_join(community=community, user=bob)
    assert membership(community, bob) is None


def test_banned_member_cannot_rejoin(alice, bob):
    community = community_run_by(alice)
    MembershipFactory(community=community, user=bob, status=Status.BANNED)
    with pytest.raises(services.MembershipError):
        services.membership_join(community=community, user=bob)
    assert membership(community, bob).status == Status.BANNED


def test_pending_site_member_cannot_join(alice, erin):
    community = community_run_by(alice)
    with pytest.raises(PermissionDenied):
        services.membership_join(community=community, user=erin)


# Leaving ------------------------------------------------------------------------


def test_leaving_removes_the_membership_and_the_count(alice, bob):
    community = community_run_by(alice)
    services.membership_join(community=community, user=bob)
    services.membership_leave(community=community, user=bob)
    assert membership(community, bob) is None
    assert fresh(community).member_count == 2


def test_withdrawing_a_request_does_not_change_the_count(alice, bob):
    community = community_run_by(alice, join_policy="request")
    services.membership_join(community=community, user=bob)
    services.membership_leave(community=community, user=bob)
    assert membership(community, bob) is None
    assert fresh(community).member_count == 2


def test_last_owner_cannot_leave(alice, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob, role=Role.OWNER)
    with pytest.raises(services.MembershipError, match="at least one owner"):
        services.membership_leave(community=community, user=bob)
    assert membership(community, bob).is_active


def test_owner_can_leave_when_another_owner_remains(alice, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=alice, role=Role.OWNER)
    MembershipFactory(community=community, user=bob, role=Role.OWNER)
    services.membership_leave(community=community, user=bob)
    assert membership(community, bob) is None


def test_banned_member_cannot_leave_to_lift_their_ban(alice, bob):
    community = community_run_by(alice)
    MembershipFactory(community=community, user=bob, status=Status.BANNED)
    with pytest.raises(PermissionDenied):
        services.membership_leave(community=community, user=bob)
    assert membership(community, bob).status == Status.BANNED


# Requests -----------------------------------------------------------------------


def test_approving_a_request_activates_counts_and_emails(alice, bob, on_commit, mailoutbox):
    community = community_run_by(alice, join_policy="request")
    request = MembershipFactory(community=community, user=bob, status=Status.PENDING)
    with on_commit():
        services.membership_approve(membership=request, actor=alice)
    assert membership(community, bob).status == Status.ACTIVE
    assert membership(community, bob).joined_at is not None
    assert fresh(community).member_count == 3
    assert mailoutbox[-1].to == [bob.email]
    assert "You have joined" in mailoutbox[-1].subject


def test_declining_a_request_deletes_it_and_emails_the_reason(alice, bob, on_commit, mailoutbox):
    community = community_run_by(alice, join_policy="request")
    request = MembershipFactory(community=community, user=bob, status=Status.PENDING)
    with on_commit():
        services.membership_decline(membership=request, actor=alice, reason="This one is for council staff only.")
    assert membership(community, bob) is None
    assert mailoutbox[-1].to == [bob.email]
    assert "council staff only" in mailoutbox[-1].body
    assert "council staff only" in mailoutbox[-1].alternatives[0][0]


def test_another_communitys_facilitator_cannot_approve(alice, bob, charlie):
    community = community_run_by(alice, join_policy="request")
    other = community_run_by(charlie)
    request = MembershipFactory(community=community, user=bob, status=Status.PENDING)
    with pytest.raises(PermissionDenied):
        services.membership_approve(membership=request, actor=charlie)
    assert membership(community, bob).status == Status.PENDING
    assert other.pk != community.pk


def test_approving_twice_counts_once(alice, bob):
    community = community_run_by(alice, join_policy="request")
    request = MembershipFactory(community=community, user=bob, status=Status.PENDING)
    services.membership_approve(membership=request, actor=alice)
    with pytest.raises(services.MembershipError):
        services.membership_approve(membership=request, actor=alice)
    assert fresh(community).member_count == 3


# Roles --------------------------------------------------------------------------


def test_owner_appoints_a_facilitator(alice, bob):
    owner = UserFactory()
    community = community_run_by(alice, owner=owner)
    member = MembershipFactory(community=community, user=bob)
    services.membership_change_role(membership=member, actor=owner, role=Role.FACILITATOR)
    assert membership(community, bob).role == Role.FACILITATOR
    assert permissions.can_moderate(bob, community)


def test_facilitator_cannot_appoint_facilitators(alice, bob):
    community = community_run_by(alice)
    member = MembershipFactory(community=community, user=bob)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=member, actor=alice, role=Role.FACILITATOR)
    assert membership(community, bob).role == Role.MEMBER


def test_site_admin_appoints_an_owner(alice, bob, dora):
    community = community_run_by(alice)
    member = MembershipFactory(community=community, user=bob)
    services.membership_change_role(membership=member, actor=dora, role=Role.OWNER)
    assert membership(community, bob).role == Role.OWNER


def test_the_last_owner_cannot_be_stood_down(alice, dora):
    owner = UserFactory()
    community = community_run_by(alice, owner=owner)
    with pytest.raises(services.MembershipError, match="at least one owner"):
        services.membership_change_role(membership=membership(community, owner), actor=dora, role=Role.MEMBER)
    assert membership(community, owner).role == Role.OWNER


# Remove and ban -----------------------------------------------------------------


def test_facilitator_removes_a_member(alice, bob):
    community = community_run_by(alice)
    services.membership_join(community=community, user=bob)
    services.membership_remove(membership=membership(community, bob), actor=alice)
    assert membership(community, bob) is None
    assert fresh(community).member_count == 2


def test_facilitator_cannot_remove_or_ban_an_owner(alice):
    owner = UserFactory()
    community = community_run_by(alice, owner=owner)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership(community, owner), actor=alice)
    with pytest.raises(PermissionDenied):
        services.membership_ban(membership=membership(community, owner), actor=alice, reason="No")
    assert membership(community, owner).is_active


def test_site_admin_cannot_remove_the_last_owner(alice, dora):
    owner = UserFactory()
    community = community_run_by(alice, owner=owner)
    with pytest.raises(services.MembershipError):
        services.membership_remove(membership=membership(community, owner), actor=dora)
    assert membership(community, owner).is_active


def test_ban_keeps_the_reason_stops_posting_and_rejoining(alice, bob, on_commit, mailoutbox):
    community = community_run_by(alice)
    services.membership_join(community=community, user=bob)
    with on_commit():
        services.membership_ban(membership=membership(community, bob), actor=alice, reason="Shared personal data.")
    banned = membership(community, bob)
    assert banned.status == Status.BANNED
    assert banned.ban_reason == "Shared personal data."
    assert fresh(community).member_count == 2
    permissions.forget_membership(bob, community)
    assert not permissions.can_post_in(bob, community)
    with pytest.raises(services.MembershipError):
        services.membership_join(community=community, user=bob)
    assert mailoutbox[-1].to == [bob.email]
    assert "Shared personal data." in mailoutbox[-1].body


def test_facilitator_of_another_community_cannot_ban(alice, bob, charlie):
    community = community_run_by(alice)
    community_run_by(charlie)
    member = MembershipFactory(community=community, user=bob)
    with pytest.raises(PermissionDenied):
        services.membership_ban(membership=member, actor=charlie, reason="No")
    assert membership(community, bob).is_active


def test_nobody_manages_themselves_from_the_member_list(alice):
    community = community_run_by(alice)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership(community, alice), actor=alice)


# Proposals ----------------------------------------------------------------------


def propose(user, name="Pre-election period"):
    return services.community_propose(
        proposer=user,
        name=name,
        summary="Handling comments during the pre-election period.",
        description="For **council** press officers.",
        visibility="members_only",
        join_policy="open",
    )


def test_proposing_creates_a_proposed_community_and_tells_site_admins(bob, dora, on_commit, mailoutbox):
    with on_commit():
        community = propose(bob)
    assert community.status == Community.Status.PROPOSED
    assert community.created_by == bob
    assert community.description_html == "<p>For <strong>council</strong> press officers.</p>"
    assert community.slug == "pre-election-period"
    assert mailoutbox[-1].to == [dora.email]


def test_pending_site_member_cannot_propose(erin):
    with pytest.raises(PermissionDenied):
        propose(erin)


def test_reserved_slugs_are_not_taken(bob):
    assert propose(bob, name="Propose").slug == "propose-community"


def test_approving_a_proposal_opens_it_and_makes_the_proposer_owner(bob, dora, on_commit, mailoutbox):
    community = propose(bob)
    with on_commit():
        services.community_approve(community=community, actor=dora)
    community = fresh(community)
    assert community.status == Community.Status.ACTIVE
    assert community.member_count == 1
    owner = membership(community, bob)
    assert owner.role == Role.OWNER and owner.is_active
    assert mailoutbox[-1].to == [bob.email]


def test_declining_a_proposal_keeps_and_emails_the_reason(bob, dora, on_commit, mailoutbox):
    community = propose(bob)
    with on_commit():
        services.community_decline(community=community, actor=dora, reason="Use the existing elections community.")
    community = fresh(community)
    assert community.status == Community.Status.DECLINED
    assert community.decision_reason == "Use the existing elections community."
    assert "existing elections community" in mailoutbox[-1].body


def test_only_site_admins_decide_proposals(alice, bob):
    community = propose(bob)
    with pytest.raises(PermissionDenied):
        services.community_approve(community=community, actor=alice)
    assert fresh(community).status == Community.Status.PROPOSED


def test_a_proposal_is_decided_once(bob, dora):
    community = propose(bob)
    services.community_approve(community=community, actor=dora)
    with pytest.raises(services.MembershipError):
        services.community_decline(community=community, actor=dora, reason="Too late")
    assert fresh(community).member_count == 1


def test_member_count_survives_a_full_lifecycle(alice, bob, charlie):
    community = community_run_by(alice)
    services.membership_join(community=community, user=bob)
    services.membership_join(community=community, user=charlie)
    services.membership_ban(membership=membership(community, charlie), actor=alice, reason="Spam")
    services.membership_leave(community=community, user=bob)
    active = Membership.objects.filter(community=community, status=Status.ACTIVE).count()
    assert fresh(community).member_count == active == 2
    assert fresh(community).last_activity_at <= timezone.now()
