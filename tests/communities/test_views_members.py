"""The members page for members, and the facilitators' view of it (communities.views_members)."""

import csv
import io

import pytest
from django.urls import reverse

from communities.models import Membership
from tests.communities.factories import community_run_by
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Membership.Status


def url(name, community) -> str:
    return reverse(name, kwargs={"slug": community.slug})


@pytest.fixture
def community(alice):
    return community_run_by(alice, visibility="public")


@pytest.fixture
def bobs(community, bob):
    bob.organisation = OrganisationFactory(name="Kent County Council")
    bob.save(update_fields=["organisation"])
    return MembershipFactory(community=community, user=bob)


@pytest.fixture
def shy(community):
    user = UserFactory(username="shy", display_name="Shy Person", show_email=False)
    return MembershipFactory(community=community, user=user)


@pytest.fixture
def banned(community):
    user = UserFactory(username="banned", display_name="Banned Person")
    return MembershipFactory(community=community, user=user, status=Status.BANNED, ban_reason="Spam")


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_members_see_name_organisation_role_and_joined(client, bob, bobs, community):
    client.force_login(bob)
    response = client.get(url("community_members", community))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bob Member" in body and "Kent County Council" in body and "Facilitator" in body
    assert f"{bobs.created_at:%-d %B %Y}" in body


def test_members_do_not_see_status_emails_or_banned_people(client, bob, bobs, banned, community):
    client.force_login(bob)
    body = client.get(url("community_members", community)).content.decode()
    assert "Banned Person" not in body
    assert "Status" not in body
    assert bob.email not in body


def test_members_cannot_filter(client, bob, bobs, community):
    client.force_login(bob)
    body = client.get(url("community_members", community), {"role": "owner"}).content.decode()
    assert "Bob Member" in body


def test_facilitators_see_status_and_only_shared_emails(client, alice, bobs, shy, banned, bob, community):
    bob.show_email = True
    bob.save(update_fields=["show_email"])
    client.force_login(alice)
    body = client.get(url("community_members", community)).content.decode()
    assert bob.email in body
    assert shy.user.email not in body
    assert "Banned Person" in body and "Spam" in body


def test_site_admins_see_every_email(client, dora, shy, community):
    client.force_login(dora)
    assert shy.user.email in client.get(url("community_members", community)).content.decode()


def test_facilitators_filter_by_role(client, alice, bobs, community):
    client.force_login(alice)
    response = client.get(url("community_members", community), {"role": "facilitator"})
    people = [m.user.username for m in response.context["page_obj"]]
    assert people == ["alice"]


def test_facilitators_filter_by_status(client, alice, bobs, banned, community):
    client.force_login(alice)
    response = client.get(url("community_members", community), {"status": "banned"})
    assert [m.user.username for m in response.context["page_obj"]] == ["banned"]


def test_a_bad_filter_shows_everyone_rather_than_failing(client, alice, bobs, community):
    client.force_login(alice)
    response = client.get(url("community_members", community), {"role": "emperor"})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 3


def test_outsider_gets_404_for_the_members_page_of_a_public_community(client, charlie, community):
    client.force_login(charlie)
    assert client.get(url("community_members", community)).status_code == 404


def test_members_page_sends_visitors_to_sign_in(client, community):
    assert reverse("account_login") in client.get(url("community_members", community)).url


def test_csv_lists_members_with_formulas_neutralised(client, alice, bobs, community):
    bobs.user.display_name = '=HYPERLINK("http://evil")'
    bobs.user.save(update_fields=["display_name"])
    client.force_login(alice)
    response = client.get(url("community_members_csv", community))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == ["Name", "Username", "Organisation", "Role", "Status", "Joined", "Email"]
    bob_row = next(row for row in rows if row[1] == "bob")
    assert bob_row[0] == '\'=HYPERLINK("http://evil")'
    assert bob_row[2:5] == ["Kent County Council", "Member", "Active"]


def test_csv_leaves_out_emails_not_shared(client, alice, shy, community):
    client.force_login(alice)
    row = next(row for row in csv_rows(client.get(url("community_members_csv", community))) if row[1] == "shy")
    assert row[6] == ""


def test_csv_follows_the_filters(client, alice, bobs, banned, community):
    client.force_login(alice)
    rows = csv_rows(client.get(url("community_members_csv", community), {"status": "banned"}))
    assert [row[1] for row in rows[1:]] == ["banned"]


def test_members_get_403_with_a_reason_for_the_csv(client, bob, bobs, community):
    client.force_login(bob)
    response = client.get(url("community_members_csv", community))
    assert response.status_code == 403
    assert "Only the facilitators" in response.content.decode()


def test_csv_refuses_post(client, alice, community):
    client.force_login(alice)
    assert client.post(url("community_members_csv", community)).status_code == 405


def test_owner_is_told_to_appoint_another_owner_before_stepping_down(client, community):
    owner = Membership.objects.get(community=community, role="owner").user
    client.force_login(owner)
    assert "appoint another owner first" in client.get(url("community_members", community)).content.decode()


# Facilitators' copy also counts join requests and checks each row's actions (from
# rows it already has); members' copy is smaller.
@pytest.mark.parametrize(("viewer", "queries"), [("alice", 9), ("bob", 6)])
def test_members_page_query_count_is_pinned(
    client, alice, bob, bobs, community, viewer, queries, django_assert_num_queries
):
    client.force_login(alice if viewer == "alice" else bob)
    with django_assert_num_queries(queries):
        client.get(url("community_members", community))
    for _ in range(10):
        MembershipFactory(community=community, user=UserFactory(organisation=OrganisationFactory()))
    with django_assert_num_queries(queries):
        client.get(url("community_members", community))


@pytest.mark.parametrize("status", ["suspended", "rejected", "pending"])
def test_accounts_nobody_may_find_are_left_off_the_members_page_and_csv(client, alice, bob, bobs, community, status):
    hidden = UserFactory(username="hidden", display_name="Hidden Person", status=status)
    MembershipFactory(community=community, user=hidden)
    client.force_login(bob)
    assert "Hidden Person" not in client.get(url("community_members", community)).content.decode()
    client.force_login(alice)
    assert "Hidden Person" not in client.get(url("community_members", community)).content.decode()
    assert not any("Hidden Person" in row for row in csv_rows(client.get(url("community_members_csv", community))))
