"""The settings pages through HTTP (communities.views_settings)."""

import re

import pytest
from django.urls import reverse

from communities.models import Community, Membership
from moderation.models import ModerationAction
from tests.communities.factories import community_run_by, invite
from tests.factories import MembershipFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db

SETTINGS = {
    "description": "For council press officers.",
    "guidelines": "Be kind.",
    "topics": "elections, media",
    "welcome_message": "",
    "posting_address_enabled": "on",
    "announcements_by": "facilitators",
}


def url(name, community) -> str:
    return reverse(name, kwargs={"slug": community.slug})


@pytest.fixture
def owner(db):
    return UserFactory(username="olive", display_name="Olive Owner")


@pytest.fixture
def community(alice, owner):
    return community_run_by(alice, owner=owner, visibility="private", join_policy="request")


@pytest.fixture
def bobs(community, bob):
    return MembershipFactory(community=community, user=bob)


def test_settings_page_shows_the_current_settings(client, alice, community):
    Community.objects.filter(pk=community.pk).update(guidelines="Keep residents' names out.")
    client.force_login(alice)
    response = client.get(url("community_settings", community))
    assert response.status_code == 200
    assert "Keep residents&#x27; names out." in response.content.decode()


def test_facilitator_saves_guidelines_and_sees_what_changed(client, alice, community):
    client.force_login(alice)
    response = client.post(url("community_settings", community), {**SETTINGS, "guidelines": "Be **kind**."})
    assert response.status_code == 302
    community.refresh_from_db()
    assert "<strong>kind</strong>" in community.guidelines_html
    page = client.get(response.url).content.decode()
    assert "Saved: description, guidelines, topics." in page


def test_invalid_topics_keep_what_was_typed_and_say_why(client, alice, community):
    client.force_login(alice)
    response = client.post(
        url("community_settings", community), {**SETTINGS, "guidelines": "My draft", "topics": "ok, <b>bad</b>"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a valid topic" in body
    assert "My draft" in body
    community.refresh_from_db()
    assert community.guidelines == ""


def test_too_long_guidelines_are_refused_not_cut(client, alice, community):
    client.force_login(alice)
    response = client.post(url("community_settings", community), {**SETTINGS, "guidelines": "x" * 10001})
    assert response.status_code == 200
    community.refresh_from_db()
    assert community.guidelines == ""


def test_settings_page_is_404_for_members(client, bob, bobs, community):
    client.force_login(bob)
    assert client.get(url("community_settings", community)).status_code == 404


def test_settings_post_by_a_member_is_404_and_changes_nothing(client, bob, bobs, community):
    client.force_login(bob)
    assert client.post(url("community_settings", community), SETTINGS).status_code == 404
    community.refresh_from_db()
    assert community.guidelines == ""


def test_settings_page_sends_visitors_to_sign_in(client, community):
    response = client.get(url("community_settings", community))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_settings_page_refuses_other_methods(client, alice, community):
    client.force_login(alice)
    assert client.put(url("community_settings", community)).status_code == 405


def test_facilitator_gets_403_with_a_reason_for_access(client, alice, community):
    client.force_login(alice)
    response = client.get(url("community_access", community))
    assert response.status_code == 403
    assert "Only the owners of" in response.content.decode()


def test_facilitator_gets_403_for_archiving(client, alice, community):
    client.force_login(alice)
    response = client.post(url("community_archive", community))
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.status == Community.Status.ACTIVE


def test_facilitator_is_told_only_owners_change_access(client, alice, community):
    client.force_login(alice)
    body = client.get(url("community_settings", community)).content.decode()
    assert "Only owners can change these" in body
    assert url("community_access", community) not in body


def test_widening_asks_for_confirmation_with_exact_counts(client, owner, alice, community):
    make_thread(community=community, author=alice, title="Polling day")
    make_thread(community=community, author=alice, title="Count night")
    client.force_login(owner)
    response = client.post(url("community_access", community), {"visibility": "public", "join_policy": "request"})
    assert response.status_code == 200
    assert "2 threads and 2 posts will be readable by anyone, signed in or not." in response.content.decode()
    community.refresh_from_db()
    assert community.visibility == "private"


def test_confirming_widens_and_logs(client, owner, community):
    client.force_login(owner)
    response = client.post(
        url("community_access_confirm", community), {"visibility": "members_only", "join_policy": "request"}
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.visibility == "members_only"
    assert ModerationAction.objects.filter(community_id=community.pk, actor=owner).count() == 1


def test_narrowing_is_saved_without_confirmation(client, owner, community):
    Community.objects.filter(pk=community.pk).update(visibility="public")
    client.force_login(owner)
    response = client.post(url("community_access", community), {"visibility": "private", "join_policy": "request"})
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.visibility == "private"


def test_access_with_no_choice_says_what_to_choose(client, owner, community):
    client.force_login(owner)
    response = client.post(url("community_access", community), {"join_policy": "request"})
    assert response.status_code == 200
    assert "Choose who can read the community" in response.content.decode()


def test_access_confirm_refuses_get(client, owner, community):
    client.force_login(owner)
    assert client.get(url("community_access_confirm", community)).status_code == 405


def test_owner_archives_and_the_home_page_says_archived(client, owner, community):
    client.force_login(owner)
    assert client.post(url("community_archive", community)).status_code == 302
    body = client.get(community.get_absolute_url()).content.decode()
    assert "Archived: read only" in body


def test_owner_unarchives(client, owner, community):
    Community.objects.filter(pk=community.pk).update(status=Community.Status.ARCHIVED)
    client.force_login(owner)
    assert client.post(url("community_unarchive", community)).status_code == 302
    community.refresh_from_db()
    assert community.status == Community.Status.ACTIVE


def test_archive_refuses_get(client, owner, community):
    client.force_login(owner)
    assert client.get(url("community_archive", community)).status_code == 405


def test_outsider_gets_404_for_a_private_communitys_settings(client, charlie, community):
    client.force_login(charlie)
    assert client.get(url("community_settings", community)).status_code == 404


def test_the_last_owner_is_not_offered_leave_and_is_told_why(client, owner, community):
    client.force_login(owner)
    body = client.get(community.get_absolute_url()).content.decode()
    assert "appoint another owner first" in body
    assert url("community_leave", community) not in body


def test_an_owner_with_another_owner_may_leave(client, owner, bob, bobs, community):
    Membership.objects.filter(pk=bobs.pk).update(role=Membership.Role.OWNER)
    client.force_login(owner)
    assert url("community_leave", community) in client.get(community.get_absolute_url()).content.decode()


def test_joining_shows_the_welcome_message(client, charlie, alice):
    community = community_run_by(alice, join_policy="open")
    Community.objects.filter(pk=community.pk).update(
        welcome_message="Say hello", welcome_message_html="<p>Say <em>hello</em></p>"
    )
    client.force_login(charlie)
    response = client.post(url("community_join", community), follow=True)
    assert response.redirect_chain[-1][0] == url("community_welcome", community)
    assert "<p>Say <em>hello</em></p>" in response.content.decode()


def test_joining_without_a_welcome_message_goes_to_the_community(client, charlie, alice):
    community = community_run_by(alice, join_policy="open")
    client.force_login(charlie)
    response = client.post(url("community_join", community))
    assert response.url == community.get_absolute_url()


def test_the_community_log_shows_who_changed_what(client, alice, community):
    client.force_login(alice)
    client.post(url("community_settings", community), {**SETTINGS, "guidelines": "No names"})
    body = client.get(reverse("community_log", kwargs={"slug": community.slug})).content.decode()
    assert "Changed a community&#x27;s settings" in body
    assert "Guidelines" in body and "No names" in body


def test_accepting_an_invitation_shows_the_welcome_message(
    client, alice, django_capture_on_commit_callbacks, mailoutbox
):
    community = community_run_by(alice, visibility="private", join_policy="invite")
    Community.objects.filter(pk=community.pk).update(welcome_message="Hi", welcome_message_html="<p>Hi there</p>")
    with django_capture_on_commit_callbacks(execute=True):
        invite(community, alice, "priya@kent.gov.uk")
    link = "/" + re.search(r"https?://\S+/communities/invitations/\S+/", mailoutbox[-1].body).group(0).split("/", 3)[3]
    client.force_login(UserFactory(username="priya", email="priya@kent.gov.uk"))
    response = client.post(link + "accept/", follow=True)
    assert response.redirect_chain[-1][0] == url("community_welcome", community)
    assert "<p>Hi there</p>" in response.content.decode()
