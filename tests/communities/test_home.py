"""The community home page, joining and leaving through HTTP."""

import pytest
from django.core.cache import caches
from django.urls import NoReverseMatch, reverse

from communities.models import Community, Membership
from tests.communities.factories import community_run_by
from tests.factories import CommunityFactory, MembershipFactory, make_thread

pytestmark = pytest.mark.django_db


def home_url(community) -> str:
    return reverse("community_home", kwargs={"slug": community.slug})


def join_url(community) -> str:
    return reverse("community_join", kwargs={"slug": community.slug})


def leave_url(community) -> str:
    return reverse("community_leave", kwargs={"slug": community.slug})


def test_home_shows_description_guidelines_facilitators_and_count(client, alice):
    community = community_run_by(
        alice,
        description_html="<p>About <strong>floods</strong></p>",
        guidelines_html="<p>Be kind</p>",
    )
    response = client.get(home_url(community))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<p>About <strong>floods</strong></p>" in body
    assert "<p>Be kind</p>" in body
    assert "Alice Facilitator" in body
    assert "2 members" in body


def test_home_offers_search_within_the_community(client):
    community = CommunityFactory()
    body = client.get(home_url(community)).content.decode()
    assert 'name="community" value="' + community.slug + '"' in body
    assert 'name="q"' in body


def test_home_offers_visitors_sign_in_to_join(client):
    community = CommunityFactory()
    body = client.get(home_url(community)).content.decode()
    assert "to join this community" in body
    assert join_url(community) not in body


@pytest.mark.parametrize(
    ("policy", "label"), [("open", "Join this community"), ("request", "Ask to join"), ("invite", "Invitation only")]
)
def test_home_shows_the_button_the_join_policy_allows(client, charlie, policy, label):
    community = CommunityFactory(join_policy=policy)
    client.force_login(charlie)
    body = client.get(home_url(community)).content.decode()
    assert label in body
    assert (join_url(community) in body) == (policy != "invite")


def test_home_shows_members_a_leave_button(client, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    body = client.get(home_url(community)).content.decode()
    assert "You are a member" in body
    assert leave_url(community) in body


def test_home_shows_a_pending_request(client, bob):
    community = CommunityFactory(join_policy="request")
    MembershipFactory(community=community, user=bob, status=Membership.Status.PENDING)
    client.force_login(bob)
    body = client.get(home_url(community)).content.decode()
    assert "You have asked to join" in body
    assert "Withdraw your request" in body


def test_home_tells_a_banned_member_they_cannot_take_part(client, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob, status=Membership.Status.BANNED)
    client.force_login(bob)
    body = client.get(home_url(community)).content.decode()
    assert "You cannot take part" in body
    assert join_url(community) not in body and leave_url(community) not in body


def test_home_links_facilitators_to_management(client, alice):
    community = community_run_by(alice)
    client.force_login(alice)
    body = client.get(home_url(community)).content.decode()
    assert reverse("community_members", kwargs={"slug": community.slug}) in body


def test_home_hides_management_from_members(client, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    assert (
        reverse("community_requests", kwargs={"slug": community.slug})
        not in client.get(home_url(community)).content.decode()
    )


def test_archived_community_is_readable_with_a_read_only_banner(client, bob):
    community = CommunityFactory(status=Community.Status.ARCHIVED)
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    response = client.get(home_url(community))
    assert response.status_code == 200
    assert "Archived: read only" in response.content.decode()


def test_start_a_thread_link_only_when_the_page_exists_and_you_may_post(client, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    body = client.get(home_url(community)).content.decode()
    try:
        new_url = reverse("thread_new", kwargs={"slug": community.slug})
    except NoReverseMatch:
        assert "Start a thread" not in body
    else:
        assert body.count(f'href="{new_url}"') == 1  # once, whether ours or the thread list's


def test_private_home_is_404_for_outsiders(client, charlie):
    community = CommunityFactory(visibility="private")
    client.force_login(charlie)
    assert client.get(home_url(community)).status_code == 404


def test_private_home_is_404_for_visitors(client):
    community = CommunityFactory(visibility="private")
    assert client.get(home_url(community)).status_code == 404


def test_unknown_community_is_404(client):
    assert client.get("/communities/no-such-community/").status_code == 404


def test_proposed_community_is_seen_by_its_proposer_only(client, bob, charlie):
    community = CommunityFactory(status=Community.Status.PROPOSED, created_by=bob)
    client.force_login(bob)
    assert "waiting for a site administrator" in client.get(home_url(community)).content.decode()
    client.force_login(charlie)
    assert client.get(home_url(community)).status_code == 404


@pytest.mark.parametrize(
    ("status", "has_box"),
    [
        (Community.Status.ACTIVE, True),
        (Community.Status.ARCHIVED, True),
        (Community.Status.PROPOSED, False),  # nothing in it can be searched yet
        (Community.Status.DECLINED, False),
    ],
)
def test_home_offers_a_search_box_only_where_there_is_content_to_search(client, bob, status, has_box):
    community = CommunityFactory(status=status, created_by=bob)
    client.force_login(bob)
    response = client.get(home_url(community))
    assert response.status_code == 200
    assert (f'name="community" value="{community.slug}"' in response.content.decode()) is has_box


def test_home_refuses_post(client):
    assert client.post(home_url(CommunityFactory())).status_code == 405


def test_home_query_count_does_not_grow_with_threads_or_members(client, alice, django_assert_max_num_queries):
    community = community_run_by(alice)
    client.force_login(alice)
    make_thread(community=community, author=alice)
    client.get(home_url(community))  # fills per-process caches (content types), as a running site has them
    caches["fragments"].clear()  # each measured page starts with nothing cached
    caches["pages"].clear()
    with django_assert_max_num_queries(30) as few:
        client.get(home_url(community))
    for _ in range(5):
        member = MembershipFactory(community=community, role="facilitator").user
        make_thread(community=community, author=member)
    caches["fragments"].clear()
    caches["pages"].clear()
    with django_assert_max_num_queries(30) as many:
        assert client.get(home_url(community)).status_code == 200
    assert len(many) == len(few)


# Joining and leaving ----------------------------------------------------------------


def test_joining_an_open_community(client, charlie):
    community = CommunityFactory()
    client.force_login(charlie)
    response = client.post(join_url(community))
    assert response.status_code == 302
    assert response.url == home_url(community)
    assert Membership.objects.get(community=community, user=charlie).is_active
    assert "You have joined" in client.get(home_url(community)).content.decode()


def test_asking_to_join(client, alice, charlie):
    community = community_run_by(alice, join_policy="request")
    client.force_login(charlie)
    client.post(join_url(community))
    assert Membership.objects.get(community=community, user=charlie).status == Membership.Status.PENDING


def test_join_refuses_get(client, charlie):
    client.force_login(charlie)
    assert client.get(join_url(CommunityFactory())).status_code == 405


def test_join_sends_visitors_to_sign_in(client):
    community = CommunityFactory()
    response = client.post(join_url(community))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert not Membership.objects.exists()


def test_join_private_community_is_404_for_outsiders(client, charlie):
    community = CommunityFactory(visibility="private", join_policy="request")
    client.force_login(charlie)
    assert client.post(join_url(community)).status_code == 404
    assert not Membership.objects.exists()


def test_join_invitation_only_is_403(client, charlie):
    community = CommunityFactory(join_policy="invite")
    client.force_login(charlie)
    assert client.post(join_url(community)).status_code == 403
    assert not Membership.objects.exists()


def test_join_archived_community_is_403(client, charlie):
    community = CommunityFactory(status=Community.Status.ARCHIVED)
    client.force_login(charlie)
    assert client.post(join_url(community)).status_code == 403


def test_leaving(client, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    response = client.post(leave_url(community))
    assert response.status_code == 302
    assert not Membership.objects.filter(community=community, user=bob).exists()


def test_leaving_a_private_community_goes_back_to_the_directory(client, bob):
    community = CommunityFactory(visibility="private")
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    assert client.post(leave_url(community)).url == reverse("community_directory")


def test_last_owner_is_told_they_cannot_leave(client, bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob, role="owner")
    client.force_login(bob)
    response = client.post(leave_url(community), follow=True)
    assert "must keep at least one owner" in response.content.decode()
    assert Membership.objects.filter(community=community, user=bob).exists()


def test_leave_by_a_non_member_is_403(client, charlie):
    client.force_login(charlie)
    assert client.post(leave_url(CommunityFactory())).status_code == 403


def test_leave_refuses_get(client, bob):
    client.force_login(bob)
    assert client.get(leave_url(CommunityFactory())).status_code == 405
