import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from tests.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("community_directory")


def names(response) -> list[str]:
    return [c.name for c in response.context["page_obj"]]


def test_directory_lists_public_communities_for_visitors(client):
    CommunityFactory(name="Crisis comms", summary="Floods and storms", member_count=12, thread_count=3)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Crisis comms" in body
    assert "Floods and storms" in body
    assert "12 members" in body
    assert "3 threads" in body


def test_directory_shows_last_activity_in_words(client):
    CommunityFactory(name="Crisis comms", last_activity_at=timezone.now() - timezone.timedelta(hours=2))
    assert "active 2\xa0hours ago" in client.get(URL).content.decode()  # naturaltime uses a no-break space


def test_directory_hides_private_communities_from_outsiders(client, charlie):
    CommunityFactory(name="Police media", visibility="private")
    client.force_login(charlie)
    assert "Police media" not in names(client.get(URL))


def test_directory_shows_private_community_to_its_member(client, bob):
    community = CommunityFactory(name="Police media", visibility="private")
    MembershipFactory(community=community, user=bob)
    client.force_login(bob)
    assert names(client.get(URL)) == ["Police media"]


def test_directory_leaves_out_proposed_communities(client, dora):
    CommunityFactory(name="Proposed one", status=Community.Status.PROPOSED)
    client.force_login(dora)
    assert "Proposed one" not in names(client.get(URL))


def test_directory_searches_name_and_summary(client):
    CommunityFactory(name="Crisis comms", summary="Floods")
    CommunityFactory(name="Internal comms", summary="Staff engagement and intranets")
    CommunityFactory(name="Evaluation", summary="Measuring campaigns")
    assert set(names(client.get(URL, {"q": "comms"}))) == {"Crisis comms", "Internal comms"}
    assert names(client.get(URL, {"q": "intranet"})) == ["Internal comms"]


def test_directory_filters_by_topic(client):
    crisis = CommunityFactory(name="Crisis comms")
    crisis.topics.add("emergencies")
    CommunityFactory(name="Internal comms").topics.add("staff")
    assert names(client.get(URL, {"topic": "emergencies"})) == ["Crisis comms"]


def test_directory_ignores_an_unknown_topic_and_says_so(client):
    CommunityFactory(name="Crisis comms")
    response = client.get(URL, {"topic": "no-such-topic"})
    assert response.status_code == 200
    assert names(response) == ["Crisis comms"]
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("activity", ["B", "A", "C"]), ("members", ["C", "B", "A"]), ("name", ["A", "B", "C"])],
)
def test_directory_sorts_by_activity_members_or_name(client, sort, expected):
    now = timezone.now()
    CommunityFactory(name="A", member_count=1, last_activity_at=now - timezone.timedelta(days=1))
    CommunityFactory(name="B", member_count=5, last_activity_at=now)
    CommunityFactory(name="C", member_count=9, last_activity_at=now - timezone.timedelta(days=2))
    assert names(client.get(URL, {"sort": sort})) == expected


def test_directory_puts_your_communities_first(client, bob):
    now = timezone.now()
    CommunityFactory(name="Busy", last_activity_at=now)
    mine = CommunityFactory(name="Quiet", last_activity_at=now - timezone.timedelta(days=30))
    MembershipFactory(community=mine, user=bob)
    client.force_login(bob)
    response = client.get(URL)
    assert names(response) == ["Quiet", "Busy"]
    body = response.content.decode()
    assert body.index("Your communities") < body.index("Quiet") < body.index("Other communities")


def test_directory_is_paginated_by_twenty(client):
    for n in range(25):
        CommunityFactory(name=f"Community {n:02}")
    first = client.get(URL, {"sort": "name"})
    assert len(first.context["page_obj"]) == 20
    assert len(client.get(URL, {"sort": "name", "page": 2}).context["page_obj"]) == 5


def test_directory_query_count_does_not_grow_with_communities(client, bob, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            community = CommunityFactory()
            community.topics.add(f"topic {i}", "shared")
            MembershipFactory(community=community, user=bob)

    client.force_login(bob)
    add(2)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    add(15)
    with django_assert_max_num_queries(12) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)


def test_directory_refuses_post(client):
    assert client.post(URL).status_code == 405


def test_directory_offers_propose_link_to_approved_members_only(client, bob, erin):
    client.force_login(bob)
    assert reverse("community_propose") in client.get(URL).content.decode()
    client.force_login(erin)
    assert reverse("community_propose") not in client.get(URL).content.decode()


def test_directory_links_site_admins_to_proposals(client, dora, bob):
    client.force_login(dora)
    assert reverse("community_proposals") in client.get(URL).content.decode()
    client.force_login(bob)
    assert reverse("community_proposals") not in client.get(URL).content.decode()


def test_a_new_community_shows_in_a_cached_directory_at_once(client):
    CommunityFactory(name="Crisis comms")
    assert "Crisis comms" in client.get(URL).content.decode()
    CommunityFactory(name="Digital team")
    assert "Digital team" in client.get(URL).content.decode()


def test_joining_shows_in_a_cached_directory_at_once(client, bob):
    community = CommunityFactory(name="Crisis comms")
    client.force_login(bob)
    assert "Your communities" not in client.get(URL).content.decode()
    MembershipFactory(community=community, user=bob)
    assert "Your communities" in client.get(URL).content.decode()


def test_a_visitor_s_cached_directory_is_not_a_member_s(client, bob):
    CommunityFactory(name="Press officers", visibility="private")
    MembershipFactory(community=Community.objects.get(name="Press officers"), user=bob)
    assert "Press officers" not in client.get(URL).content.decode()
    client.force_login(bob)
    assert "Press officers" in client.get(URL).content.decode()


def test_a_member_made_site_admin_sees_everything_at_once(client, bob):
    CommunityFactory(name="Press officers", visibility="private")
    client.force_login(bob)
    assert "Press officers" not in client.get(URL).content.decode()
    bob.is_staff = True
    bob.save()
    assert "Press officers" in client.get(URL).content.decode()
