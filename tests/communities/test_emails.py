"""Community emails name the community in their subject: a name holding a line break
(sent without a browser, or saved before names were cleaned) must never stop them."""

import pytest
from django.urls import reverse

from communities import services
from communities.models import Community, Invitation
from tests.communities.factories import community_run_by, invite
from tests.factories import CommunityFactory, form_token

pytestmark = pytest.mark.django_db

BROKEN_NAME = "Pre-election\r\nBcc: everyone@example.org"


def test_a_proposed_name_sent_with_a_line_break_is_saved_on_one_line(
    client, bob, dora, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(bob)
    data = {
        "name": BROKEN_NAME,
        "summary": "Purdah.",
        "description": "Press officers.",
        "visibility": "public",
        "join_policy": "open",
        "form_token": form_token(bob),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community_propose"), data)
    community = Community.objects.get()
    assert response.status_code == 302
    assert community.name == "Pre-election Bcc: everyone@example.org"
    assert [message.to for message in mailoutbox] == [[dora.email]]
    assert mailoutbox[0].subject == "CommsNet: New community proposed: Pre-election Bcc: everyone@example.org"


def test_the_propose_service_keeps_names_on_one_line_too(bob):
    community = services.community_propose(
        proposer=bob, name=BROKEN_NAME, summary="Purdah.", description="", visibility="public", join_policy="open"
    )
    assert "\n" not in community.name


def test_approving_a_community_saved_with_a_line_break_in_its_name_still_emails_its_proposer(
    client, bob, dora, django_capture_on_commit_callbacks, mailoutbox
):
    proposal = CommunityFactory(name=BROKEN_NAME, status=Community.Status.PROPOSED, created_by=bob)
    client.force_login(dora)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community_proposal_approve", kwargs={"slug": proposal.slug}))
    assert response.status_code == 302
    assert Community.objects.get(pk=proposal.pk).status == Community.Status.ACTIVE
    assert [message.to for message in mailoutbox] == [[bob.email]]
    assert "\n" not in mailoutbox[0].message()["Subject"]


def test_invitations_to_a_community_with_a_line_break_in_its_name_are_written(
    alice, django_capture_on_commit_callbacks, mailoutbox
):
    community = community_run_by(alice, name=BROKEN_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        invite(community, alice, "priya@example.gov.uk", "sam@example.gov.uk")
    assert Invitation.objects.filter(community=community).count() == 2
    assert sorted(message.to[0] for message in mailoutbox) == ["priya@example.gov.uk", "sam@example.gov.uk"]
    assert all(message.message()["Subject"] for message in mailoutbox)
