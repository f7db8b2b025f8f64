"""Following a tag from its tag page."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from forums.models import TagFollow
from tests.factories import make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(community, alice):
    return make_thread(community=community, author=alice, title="Flood warnings", tags=["floods"])


def test_member_follows_a_tag_from_its_page(tagged, bob):
    client = client_as(bob)
    assert "Follow" in client.get(reverse("tag_threads", args=["floods"])).content.decode()
    response = client.post(reverse("tag_follow", args=["floods"]))
    assert response.status_code == 302
    assert TagFollow.objects.filter(user=bob, tag__slug="floods").exists()
    assert "Stop following" in client.get(reverse("tag_threads", args=["floods"])).content.decode()


def test_following_twice_keeps_one_follow(tagged, bob):
    client = client_as(bob)
    client.post(reverse("tag_follow", args=["floods"]))
    client.post(reverse("tag_follow", args=["floods"]))
    assert TagFollow.objects.filter(user=bob).count() == 1


def test_member_stops_following_a_tag(tagged, bob):
    TagFollow.objects.create(user=bob, tag=Tag.objects.get(slug="floods"))
    response = client_as(bob).post(reverse("tag_unfollow", args=["floods"]))
    assert response.status_code == 302
    assert not TagFollow.objects.exists()


def test_following_needs_a_post(tagged, bob):
    assert client_as(bob).get(reverse("tag_follow", args=["floods"])).status_code == 405


def test_visitor_is_asked_to_sign_in_and_sees_no_follow_button(tagged):
    client = client_as(None)
    assert "Follow" not in client.get(reverse("tag_threads", args=["floods"])).content.decode()
    response = client.post(reverse("tag_follow", args=["floods"]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not TagFollow.objects.exists()


def test_pending_account_may_not_follow(tagged, erin):
    assert client_as(erin).post(reverse("tag_follow", args=["floods"])).status_code == 403
    assert not TagFollow.objects.exists()


def test_following_a_tag_only_on_private_threads_is_404_for_outsiders(private_community, alice, charlie):
    make_thread(community=private_community, author=alice, title="Embargo", tags=["embargo"])
    assert client_as(charlie).post(reverse("tag_follow", args=["embargo"])).status_code == 404
    assert not TagFollow.objects.exists()


def test_following_an_unknown_tag_is_404(bob):
    assert client_as(bob).post(reverse("tag_follow", args=["nothing"])).status_code == 404
