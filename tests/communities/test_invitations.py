"""Invitations: reading a pasted cc line or a CSV, sending, accepting, revoking."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from communities import invitation_services, invitations, services
from communities.forms import InviteForm, parse_addresses
from communities.models import Community, Invitation, Membership
from tests.communities.factories import community_run_by, invite
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CC_LINE = '"Shah, Priya" <Priya.Shah@kent.gov.uk>, tom@nhs.net; Other Person <other@essex.police.uk>\nnot-an-address'


def link_from(message) -> str:
    return re.search(r"https?://\S+/communities/invitations/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# Reading addresses --------------------------------------------------------------


def test_cc_line_is_read_like_an_email_client_reads_it():
    pasted = parse_addresses(CC_LINE)
    assert pasted.recipients == [
        ("Priya Shah", "priya.shah@kent.gov.uk"),
        ("", "tom@nhs.net"),
        ("Other Person", "other@essex.police.uk"),
    ]
    assert pasted.invalid == ["not-an-address"]


def test_outlook_last_first_names_without_quotes_are_one_person_each():
    pasted = parse_addresses("Smith, Jane <jane.smith@x.gov.uk>, van der Berg, Anna <anna@x.gov.uk>")
    assert pasted.recipients == [("Jane Smith", "jane.smith@x.gov.uk"), ("Anna van der Berg", "anna@x.gov.uk")]
    assert pasted.invalid == []


def test_quoted_last_first_names_are_put_in_the_order_people_say_them():
    pasted = parse_addresses("\"Smith, Jane\" <jane@x.gov.uk>; 'O'Brien, Seán (DHSC)' <sean@x.gov.uk>")
    assert pasted.recipients == [("Jane Smith", "jane@x.gov.uk"), ("Seán O'Brien (DHSC)", "sean@x.gov.uk")]


def test_a_stray_word_before_an_address_is_not_taken_for_a_surname():
    pasted = parse_addresses("not-an-address, Sam <sam@x.gov.uk>")
    assert pasted.recipients == [("Sam", "sam@x.gov.uk")]
    assert pasted.invalid == ["not-an-address"]


def test_a_name_that_is_only_the_address_is_no_name():
    assert parse_addresses("'jane@x.gov.uk' <jane@x.gov.uk>").recipients == [("", "jane@x.gov.uk")]


def test_repeated_addresses_are_invited_once_with_the_first_name_given():
    pasted = parse_addresses("tom@nhs.net, TOM@nhs.net; Tom <tom@nhs.net>")
    assert pasted.recipients == [("Tom", "tom@nhs.net")]


def test_repeats_are_counted_whatever_the_case():
    pasted = parse_addresses("Jane <jane@x.gov.uk>, JANE@X.gov.uk, tom@nhs.net, Jane@x.gov.uk")
    assert pasted.repeats == {"jane@x.gov.uk": 3}


def test_malformed_addresses_are_reported_not_dropped():
    invalid = parse_addresses('a@b, "Unclosed <x@y.gov.uk>, @nodomain.gov.uk').invalid
    assert "a@b" in invalid
    assert len(invalid) == 2


def test_csv_with_header_gives_names_and_addresses():
    upload = SimpleUploadedFile("people.csv", b"Name,Email\nPriya Shah,priya@kent.gov.uk\n,tom@nhs.net\n", "text/csv")
    form = InviteForm(data={}, files={"csv_file": upload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pasted"].recipients == [("Priya Shah", "priya@kent.gov.uk"), ("", "tom@nhs.net")]


def test_csv_that_is_not_text_is_refused():
    upload = SimpleUploadedFile("people.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "text/csv")
    form = InviteForm(data={}, files={"csv_file": upload})
    assert not form.is_valid()
    assert "must be a CSV file" in str(form.errors["csv_file"])


def test_csv_over_the_size_cap_is_refused():
    upload = SimpleUploadedFile("people.csv", b"a@b.gov.uk\n" * 20_000, "text/csv")
    form = InviteForm(data={}, files={"csv_file": upload})
    assert not form.is_valid()
    assert "smaller than 100 KB" in str(form.errors["csv_file"])


def test_invite_form_needs_addresses_or_a_file():
    form = InviteForm(data={"addresses": "  "})
    assert not form.is_valid()
    assert "Enter at least one email address" in str(form.errors["addresses"])


def test_invite_form_refuses_a_list_with_no_valid_address():
    form = InviteForm(data={"addresses": "Smith, Jane; not an address"})
    assert not form.is_valid()
    assert "Enter email addresses in the correct format" in str(form.errors["addresses"])


# Sending ------------------------------------------------------------------------


def test_unknown_address_gets_an_invitation_with_a_hashed_token(alice, django_capture_on_commit_callbacks, mailoutbox):
    community = community_run_by(alice, visibility="private")
    with django_capture_on_commit_callbacks(execute=True):
        report = invite(community, alice, ("Priya Shah", "priya@kent.gov.uk"))
    assert report.invited == ["priya@kent.gov.uk"]
    invitation = Invitation.objects.get(email="priya@kent.gov.uk")
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at - invitation.sent_at == timezone.timedelta(days=14)
    token = link_from(mailoutbox[-1]).rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == invitation_services.hash_token(token)
    assert token not in invitation.token_hash
    assert "Hello Priya Shah" in mailoutbox[-1].body
    assert mailoutbox[-1].alternatives[0][1] == "text/html"


def test_invitation_email_greets_an_outlook_name_as_people_say_it(
    alice, django_capture_on_commit_callbacks, mailoutbox
):
    community = community_run_by(alice)
    recipients = parse_addresses("Smith, Jane (DHSC) <jane.smith@x.gov.uk>").recipients
    with django_capture_on_commit_callbacks(execute=True):
        invite(community, alice, *recipients)
    assert Invitation.objects.get().name == "Jane Smith (DHSC)"
    assert "Hello Jane Smith," in mailoutbox[-1].body
    assert "<p>Hello Jane Smith,</p>" in mailoutbox[-1].alternatives[0][0]


def test_invitation_stored_with_a_last_first_name_still_greets_naturally(alice):
    community = community_run_by(alice)
    invite(community, alice, ("Shah, Priya", "priya@kent.gov.uk"))
    assert Invitation.objects.get().greeting_name == "Priya Shah"


def test_invitation_email_without_a_name_just_says_hello(alice, django_capture_on_commit_callbacks, mailoutbox):
    community = community_run_by(alice)
    with django_capture_on_commit_callbacks(execute=True):
        invite(community, alice, "tom@nhs.net")
    assert mailoutbox[-1].body.startswith("Hello,\n")


def test_existing_account_is_invited_not_added_silently(alice, bob):
    community = community_run_by(alice, visibility="private")
    report = invite(community, alice, bob.email.upper())
    assert report.invited == [bob.email]
    assert Membership.objects.get(community=community, user=bob).status == Membership.Status.INVITED
    assert Invitation.objects.get(community=community).user == bob


def test_report_separates_members_invited_and_banned(alice, bob, charlie):
    community = community_run_by(alice)
    MembershipFactory(community=community, user=bob)
    MembershipFactory(community=community, user=charlie, status=Membership.Status.BANNED)
    invite(community, alice, "again@kent.gov.uk")
    report = invite(community, alice, bob.email, charlie.email, "again@kent.gov.uk", "new@kent.gov.uk")
    assert report.already_members == [bob.email]
    assert report.not_invited == [charlie.email]
    assert report.already_invited == ["again@kent.gov.uk"]
    assert report.invited == ["new@kent.gov.uk"]


def test_revoking_an_invitation_stops_the_link_and_the_invited_membership(alice, bob, client, mailoutbox):
    community = community_run_by(alice)
    with_link = invite(community, alice, bob.email)
    assert with_link.invited
    invitation = Invitation.objects.get(community=community)
    invitation_services.invitation_revoke(invitation=invitation, actor=alice)
    assert not Membership.objects.filter(community=community, user=bob).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED


def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    alice, client, django_capture_on_commit_callbacks, mailoutbox
):
    community = community_run_by(alice)
    with django_capture_on_commit_callbacks(execute=True):
        invite(community, alice, "priya@kent.gov.uk")
    old = path_of(link_from(mailoutbox[-1]))
    invitation = Invitation.objects.get(community=community)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_services.invitation_resend(invitation=invitation, actor=alice)
    new = path_of(link_from(mailoutbox[-1]))
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


# Accepting ----------------------------------------------------------------------


@pytest.fixture
def sent(alice, django_capture_on_commit_callbacks, mailoutbox):
    """A private community with an invitation emailed to priya@kent.gov.uk: (community, link path)."""
    community = community_run_by(alice, visibility="private", join_policy="invite")
    with django_capture_on_commit_callbacks(execute=True):
        invite(community, alice, "priya@kent.gov.uk")
    return community, path_of(link_from(mailoutbox[-1]))


def test_link_opened_signed_out_offers_sign_up_and_remembers_the_invitation(client, sent):
    community, link = sent
    response = client.get(link)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Join {community.name}" in body
    assert reverse("account_signup") in body
    assert client.session[invitations.SESSION_TOKEN] == link.rstrip("/").rsplit("/", 1)[1]


def test_invited_person_signed_in_with_that_address_accepts(client, sent):
    community, link = sent
    priya = UserFactory(username="priya", email="priya@kent.gov.uk")
    client.force_login(priya)
    assert b"Accept the invitation" in client.get(link).content
    response = client.post(link + "accept/")
    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    assert Membership.objects.get(community=community, user=priya).is_active
    assert Community.objects.get(pk=community.pk).member_count == 3
    assert client.get(community.get_absolute_url()).status_code == 200
    # Opening the used link again takes them to the community.
    assert client.get(link).url == community.get_absolute_url()


def test_someone_signed_in_with_another_address_cannot_accept(client, sent, bob):
    community, link = sent
    client.force_login(bob)
    assert b"This invitation was sent to priya@kent.gov.uk" in client.get(link).content
    client.post(link + "accept/")
    assert not Membership.objects.filter(community=community, user=bob).exists()
    assert Invitation.objects.get(community=community).status == Invitation.Status.PENDING


def test_unverified_address_cannot_accept(client, sent):
    community, link = sent
    priya = UserFactory(username="priya", email="priya@kent.gov.uk", verified=False)
    EmailAddress.objects.create(user=priya, email=priya.email, verified=False, primary=True)
    client.force_login(priya)
    client.post(link + "accept/")
    assert not Membership.objects.filter(community=community, user=priya).exists()


def test_expired_invitation_cannot_be_accepted(client, sent):
    community, link = sent
    Invitation.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    priya = UserFactory(username="priya", email="priya@kent.gov.uk")
    client.force_login(priya)
    assert client.get(link).status_code == 404
    client.post(link + "accept/")
    assert not Membership.objects.filter(community=community, user=priya).exists()


def test_unknown_token_is_not_found(client):
    assert client.get("/communities/invitations/not-a-real-token/").status_code == 404


def test_accept_refuses_get(client, sent):
    _, link = sent
    assert client.get(link + "accept/").status_code == 405


def test_accept_needs_sign_in(client, sent):
    _, link = sent
    response = client.post(link + "accept/")
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_signing_in_after_opening_the_link_accepts_and_lands_in_the_community(client, sent):
    community, link = sent
    priya = UserFactory(username="priya", email="priya@kent.gov.uk")
    client.get(link)
    response = client.post(
        reverse("account_login"), {"login": priya.email, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    assert Membership.objects.get(community=community, user=priya).is_active
    assert invitations.SESSION_TOKEN not in client.session


def test_signing_in_with_another_address_keeps_the_invitation_waiting(client, sent, bob):
    community, link = sent
    client.get(link)
    client.post(reverse("account_login"), {"login": bob.email, "password": "correct-horse-battery-staple"})
    assert not Membership.objects.filter(community=community, user=bob).exists()
    assert Invitation.objects.get(community=community).status == Invitation.Status.PENDING


def test_an_expired_invitation_can_be_sent_again(alice):
    community = community_run_by(alice)
    invite(community, alice, "priya@kent.gov.uk")
    Invitation.objects.update(expires_at=timezone.now() - timezone.timedelta(days=1))
    report = invite(community, alice, "priya@kent.gov.uk")
    assert report.invited == ["priya@kent.gov.uk"]
    assert Invitation.objects.filter(community=community, status=Invitation.Status.PENDING).count() == 1


def test_cancelling_an_invited_membership_stops_the_link(alice, bob):
    community = community_run_by(alice)
    invite(community, alice, bob.email)
    services.membership_remove(membership=Membership.objects.get(community=community, user=bob), actor=alice)
    assert Invitation.objects.get(community=community).status == Invitation.Status.REVOKED


SIGN_UP = {"display_name": "Priya Shah", "password1": "Flood-warning-2026!", "password2": "Flood-warning-2026!"}


def test_sign_up_from_the_invitation_is_filled_in_with_the_invited_address(client, sent):
    _, link = sent
    page = client.get(link).content.decode()
    sign_up = re.search(r'href="(/accounts/signup/[^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.get(sign_up)
    assert response.context["form"]["email"].value() == "priya@kent.gov.uk"
    assert 'value="priya@kent.gov.uk"' in response.content.decode()


def test_confirming_the_invited_address_after_sign_up_accepts_the_invitation(client, sent, mailoutbox):
    community, link = sent
    client.get(link)
    response = client.post(reverse("account_signup") + f"?next={link}", {"email": "priya@kent.gov.uk", **SIGN_UP})
    assert response.status_code == 302
    confirm = re.search(r"/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    client.post(confirm)
    membership = Membership.objects.get(community=community, user__email="priya@kent.gov.uk")
    assert membership.is_active
    assert Invitation.objects.get(community=community).status == Invitation.Status.ACCEPTED


def test_confirming_in_the_browser_that_signed_up_signs_in_and_lands_in_the_community(client, sent, mailoutbox):
    community, link = sent
    client.get(link)
    client.post(reverse("account_signup") + f"?next={link}", {"email": "priya@kent.gov.uk", **SIGN_UP})
    confirm = re.search(r"/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    response = client.post(confirm)
    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    priya = Membership.objects.get(community=community, user__email="priya@kent.gov.uk").user
    assert client.session["_auth_user_id"] == str(priya.pk)
