"""Narrowing visibility applies at once on every page someone had already seen
(kept pages included), and archived communities' threads are not suggested."""

import pytest
from django.urls import reverse

from communities import services_settings as services
from communities.models import Community
from forums.similar import similar_threads
from tests.communities.factories import community_run_by
from tests.factories import MembershipFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory(username="olive", display_name="Olive Owner")


@pytest.fixture
def community(alice, owner):
    return community_run_by(alice, owner=owner, visibility="members_only")


@pytest.fixture
def thread(community, alice):
    return make_thread(community=community, author=alice, title="Polling station photography")


def narrow(community, owner):
    services.community_access_update(
        community=community, actor=owner, visibility="private", join_policy=community.join_policy
    )


def test_narrowing_hides_the_community_home_an_outsider_had_just_seen(client, charlie, community, owner):
    client.force_login(charlie)
    assert client.get(community.get_absolute_url()).status_code == 200
    narrow(community, owner)
    assert client.get(community.get_absolute_url()).status_code == 404


def test_narrowing_hides_threads_at_once(client, charlie, community, thread, owner):
    client.force_login(charlie)
    thread_url = reverse("thread_detail", kwargs={"pk": thread.pk, "slug": thread.slug})
    assert client.get(thread_url).status_code == 200
    narrow(community, owner)
    assert client.get(thread_url).status_code == 404


def found(client, query: str) -> str:
    """The search page's text without highlighting."""
    body = client.get(reverse("search"), {"q": query}).content.decode()
    return body.replace("<mark>", "").replace("</mark>", "")


def test_narrowing_takes_threads_out_of_search_at_once(client, charlie, community, thread, owner):
    client.force_login(charlie)
    assert "Polling station photography" in found(client, "photography")
    narrow(community, owner)
    assert "Polling station photography" not in found(client, "photography")


def test_narrowing_takes_the_community_out_of_the_directory_at_once(client, charlie, community, owner):
    client.force_login(charlie)
    assert community.name in client.get(reverse("community_directory")).content.decode()
    narrow(community, owner)
    assert community.name not in client.get(reverse("community_directory")).content.decode()


def test_members_still_read_after_narrowing(client, bob, community, owner):
    MembershipFactory(community=community, user=bob)
    narrow(community, owner)
    client.force_login(bob)
    assert client.get(community.get_absolute_url()).status_code == 200


def test_archived_communities_threads_are_not_suggested(community, thread, owner, bob):
    assert [t.pk for t in similar_threads(bob, "Polling station rules")] == [thread.pk]
    services.community_archive(community=community, actor=owner)
    assert list(similar_threads(bob, "Polling station rules")) == []


def test_archived_community_stays_readable_and_refuses_joining(client, charlie, community, owner):
    services.community_archive(community=community, actor=owner)
    client.force_login(charlie)
    assert client.get(community.get_absolute_url()).status_code == 200
    assert client.post(reverse("community_join", kwargs={"slug": community.slug})).status_code == 403
    assert not Community.objects.get(pk=community.pk).memberships.filter(user=charlie).exists()
