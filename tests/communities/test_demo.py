import pytest

from communities.demo import seed_communities
from communities.models import Community, Invitation, Membership
from members.demo import seed_members

pytestmark = pytest.mark.django_db


def test_demo_has_a_request_an_invitation_and_a_proposal_and_runs_twice():
    people = seed_members()
    seed_communities(people)
    seed_communities(people)
    assert Membership.objects.filter(status=Membership.Status.PENDING).count() == 1
    assert Invitation.objects.filter(status=Invitation.Status.PENDING).count() == 1
    proposal = Community.objects.get(status=Community.Status.PROPOSED)
    assert proposal.created_by == people["priya"]
    nhs = Community.objects.get(slug="nhs-communications")
    assert nhs.member_count == Membership.objects.filter(community=nhs, status="active").count()
