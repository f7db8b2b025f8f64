"""Cache-Control, decided in one place: visitors' public pages as before, pages made
for a member `private`, and for members who may read a private community `no-store`."""

import pytest
from django.urls import reverse

from tests.factories import CommunityFactory, MembershipFactory, make_thread

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def public_thread(alice):
    community = CommunityFactory(visibility="public")
    MembershipFactory(community=community, user=alice)
    return make_thread(community=community, author=alice)


@pytest.fixture
def private_thread(alice):
    community = CommunityFactory(visibility="private")
    MembershipFactory(community=community, user=alice)
    return make_thread(community=community, author=alice, title="Budget leak: what we say")


def test_a_visitors_public_page_is_not_marked_private(client, public_thread):
    response = client.get(public_thread.get_absolute_url())
    assert response.status_code == 200
    assert not {"private", "no-store"} & directives(response)


def test_a_page_made_for_a_member_is_private(client, bob, public_thread):
    client.force_login(bob)
    response = client.get(public_thread.get_absolute_url())
    assert response.status_code == 200
    assert "private" in directives(response)
    assert "no-store" not in directives(response)


def test_a_private_communitys_thread_is_private_and_not_stored(client, alice, private_thread):
    client.force_login(alice)
    response = client.get(private_thread.get_absolute_url())
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_private_communitys_page_is_private_and_not_stored(client, alice, private_thread):
    client.force_login(alice)
    response = client.get(private_thread.community.get_absolute_url())
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_search_for_a_member_of_a_private_community_is_not_stored(client, alice, private_thread):
    client.force_login(alice)
    response = client.get(reverse("search"), {"q": "budget leak"})
    assert "Budget leak" in response.content.decode().replace("<mark>", "").replace("</mark>", "")
    assert {"private", "no-store"} <= directives(response)


def test_notifications_for_a_member_of_a_private_community_are_not_stored(client, alice, private_thread):
    client.force_login(alice)
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_site_admins_pages_are_not_stored(client, dora, public_thread):
    client.force_login(dora)
    assert {"private", "no-store"} <= directives(client.get(public_thread.get_absolute_url()))
