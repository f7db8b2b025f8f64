"""The invite page through HTTP: a pasted list is previewed, then sent or changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import Invitation, Membership
from tests.communities.factories import community_run_by, invite
from tests.factories import MembershipFactory, UserFactory, form_token

pytestmark = pytest.mark.django_db

LIST = (
    "Smith, Jane <jane.smith@kent.gov.uk>; jane.smith@KENT.gov.uk, tom@nhs.net\n"
    "nonsense; {member}; {banned}; waiting@kent.gov.uk"
)


def url(name, community) -> str:
    return reverse(name, kwargs={"slug": community.slug})


@pytest.fixture
def community(alice):
    return community_run_by(alice, visibility="members_only", join_policy="request")


@pytest.fixture
def pasted(community, alice, bob, charlie):
    """LIST with bob a member, charlie banned and waiting@ already invited."""
    MembershipFactory(community=community, user=bob)
    MembershipFactory(community=community, user=charlie, status=Membership.Status.BANNED)
    invite(community, alice, "waiting@kent.gov.uk")
    return LIST.format(member=bob.email, banned=charlie.email)


def preview(client, community, addresses: str):
    return client.post(url("community_invite", community), {"addresses": addresses})


def test_preview_says_who_will_be_invited_and_why_others_will_not(client, alice, community, pasted, bob, charlie):
    client.force_login(alice)
    response = preview(client, community, pasted)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.invited_people == [("Jane Smith", "jane.smith@kent.gov.uk"), ("", "tom@nhs.net")]
    assert report.already_members == [bob.email]
    assert report.not_invited == [charlie.email]
    assert report.already_invited == ["waiting@kent.gov.uk"]
    assert report.invalid == ["nonsense"]
    body = response.content.decode()
    assert "Check the list before sending" in body
    assert "jane.smith@kent.gov.uk appears 2 times: one invitation will be sent" in body
    assert "Send 2 invitations" in body and "Change the list" in body


def test_preview_sends_nothing(client, alice, community, pasted, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        preview(client, community, pasted)
    assert mailoutbox == []
    assert list(Invitation.objects.values_list("email", flat=True)) == ["waiting@kent.gov.uk"]


def test_preview_of_a_list_nobody_on_can_be_invited_offers_no_send_button(client, alice, community, bob):
    MembershipFactory(community=community, user=bob)
    client.force_login(alice)
    body = preview(client, community, f"{bob.email}, {bob.email.upper()}").content.decode()
    assert "Nobody on this list can be invited" in body
    assert "they are counted once" in body
    assert url("community_invite_send", community) not in body
    assert "Change the list" in body


def test_sending_from_the_preview_invites_exactly_the_people_previewed(
    client, alice, community, pasted, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    previewed = preview(client, community, pasted)
    carried = previewed.context["carry"]["addresses"].value()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("community_invite_send", community), {"addresses": carried, "form_token": form_token(alice)}
        )
    assert response.status_code == 200
    assert response.context["report"].invited == previewed.context["report"].invited
    assert sorted(m.to[0] for m in mailoutbox) == ["jane.smith@kent.gov.uk", "tom@nhs.net"]
    assert Invitation.objects.get(email="jane.smith@kent.gov.uk").name == "Jane Smith"
    assert "2 people invited" in response.content.decode()


def test_uploading_a_csv_is_previewed_then_sent(client, alice, community):
    client.force_login(alice)
    upload = SimpleUploadedFile("people.csv", b"email,name\ntom@nhs.net,Tom Jones\n", content_type="text/csv")
    previewed = client.post(url("community_invite", community), {"addresses": "", "csv_file": upload})
    assert previewed.context["report"].invited_people == [("Tom Jones", "tom@nhs.net")]
    assert not Invitation.objects.exists()
    carried = previewed.context["carry"]["addresses"].value()
    client.post(url("community_invite_send", community), {"addresses": carried, "form_token": form_token(alice)})
    assert Invitation.objects.get(community=community).name == "Tom Jones"


def test_change_the_list_gives_back_the_form_with_the_list_kept(client, alice, community, pasted):
    client.force_login(alice)
    response = client.post(url("community_invite_change", community), {"addresses": pasted})
    assert response.status_code == 200
    assert response.context["form"]["addresses"].value() == pasted
    assert "There is a problem" not in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("name", ["community_invite_send", "community_invite_change"])
def test_the_form_shown_again_leads_to_the_preview_not_to_sending(client, alice, community, name):
    client.force_login(alice)
    body = client.post(url(name, community), {"addresses": "nonsense"}).content.decode()
    assert f'<form method="post" action="{url("community_invite", community)}"' in body


def test_a_sent_list_with_nothing_valid_shows_the_error_and_sends_nothing(client, alice, community, mailoutbox):
    client.force_login(alice)
    response = client.post(url("community_invite_send", community), {"addresses": "nonsense; Smith, Jane"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "Enter email addresses in the correct format" in body
    assert response.context["form"]["addresses"].value() == "nonsense; Smith, Jane"
    assert not Invitation.objects.exists()


def test_a_pasted_list_with_nothing_valid_is_refused_before_the_preview(client, alice, community):
    client.force_login(alice)
    response = preview(client, community, "nonsense")
    assert "There is a problem" in response.content.decode()
    assert response.context["report"] is None
    assert "communities/invite_preview.html" not in [t.name for t in response.templates]


@pytest.mark.parametrize("name", ["community_invite_send", "community_invite_change"])
def test_send_and_change_refuse_get(client, alice, community, name):
    client.force_login(alice)
    assert client.get(url(name, community)).status_code == 405


@pytest.mark.parametrize("name", ["community_invite", "community_invite_send", "community_invite_change"])
def test_anonymous_is_sent_to_sign_in(client, community, name):
    response = client.post(url(name, community), {"addresses": "a@b.gov.uk"})
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize("name", ["community_invite", "community_invite_send", "community_invite_change"])
def test_members_are_refused(client, community, bob, name):
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    assert client.post(url(name, community), {"addresses": "a@b.gov.uk"}).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("name", ["community_invite", "community_invite_send", "community_invite_change"])
def test_hidden_communities_are_not_found(client, charlie, name):
    private = community_run_by(UserFactory(), visibility="private")
    client.force_login(charlie)
    assert client.post(url(name, private), {"addresses": "a@b.gov.uk"}).status_code == 404
    assert not Invitation.objects.exists()
