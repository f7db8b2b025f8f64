"""Invitations and a community proposal sent twice (a double click, a resend) are made
once, and the second submit lands on what the first made (core.once)."""

import pytest
from django.urls import reverse

from communities.models import Community, Invitation
from core import once
from tests.communities.factories import community_run_by
from tests.factories import form_token
from tests.matrix import client_as

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "name": "Pre-election period",
    "summary": "Handling comments during the pre-election period.",
    "description": "Council press officers.",
    "visibility": "members_only",
    "join_policy": "open",
}


@pytest.fixture
def community(alice):
    return community_run_by(alice, visibility="members_only", join_policy="request")


def invite_url(community) -> str:
    return reverse("community_invite", kwargs={"slug": community.slug})


def send_url(community) -> str:
    """The preview's "Send" button: the list (hidden) goes here to be sent."""
    return reverse("community_invite_send", kwargs={"slug": community.slug})


def test_invitations_sent_twice_are_sent_once_and_the_repeat_lands_on_the_list(
    community, alice, mailoutbox, django_capture_on_commit_callbacks
):
    client, data = client_as(alice), {"addresses": "priya@kent.gov.uk", "form_token": form_token(alice)}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(send_url(community), data)
        second = client.post(send_url(community), data, follow=True)
    assert first.context["report"].invited == ["priya@kent.gov.uk"]
    assert second.redirect_chain[0][0] == invite_url(community)
    body = second.content.decode()
    assert "These invitations have already been sent." in body and "priya@kent.gov.uk" in body
    assert Invitation.objects.filter(community=community).count() == 1
    assert len(mailoutbox) == 1


def test_invitations_without_a_token_say_why_and_keep_the_addresses(community, alice):
    response = client_as(alice).post(send_url(community), {"addresses": "priya@kent.gov.uk"})
    assert response.status_code == 200
    body = response.content.decode()
    assert once.MISSING in body and "priya@kent.gov.uk" in body
    assert not Invitation.objects.exists()


def test_invitations_with_another_member_s_token_are_refused(community, alice, bob):
    data = {"addresses": "priya@kent.gov.uk", "form_token": form_token(bob)}
    assert once.MISSING in client_as(alice).post(send_url(community), data).content.decode()
    assert not Invitation.objects.exists()


def test_the_send_invitations_button_carries_a_token_and_guards_against_double_clicks(community, alice):
    page = client_as(alice).post(invite_url(community), {"addresses": "priya@kent.gov.uk"}).content.decode()
    assert 'name="form_token"' in page
    assert 'data-prevent-double-click="true">Send 1 invitation' in page


def test_a_proposal_sent_twice_is_made_once_and_both_land_on_it(bob):
    client, data = client_as(bob), {**PROPOSAL, "form_token": form_token(bob)}
    first = client.post(reverse("community_propose"), data)
    second = client.post(reverse("community_propose"), data)
    community = Community.objects.get(name="Pre-election period")
    assert first.url == second.url == community.get_absolute_url()


def test_a_proposal_without_a_token_says_why_and_keeps_what_was_typed(bob):
    response = client_as(bob).post(reverse("community_propose"), PROPOSAL)
    assert response.status_code == 200
    body = response.content.decode()
    assert once.MISSING in body and "Handling comments during the pre-election period." in body
    assert not Community.objects.filter(name="Pre-election period").exists()


def test_a_proposal_with_another_member_s_token_is_refused(alice, bob):
    data = {**PROPOSAL, "form_token": form_token(alice)}
    assert once.MISSING in client_as(bob).post(reverse("community_propose"), data).content.decode()
    assert not Community.objects.filter(name="Pre-election period").exists()


def test_the_send_proposal_button_guards_against_double_clicks(bob):
    page = client_as(bob).get(reverse("community_propose")).content.decode()
    assert 'data-prevent-double-click="true">Send proposal' in page
