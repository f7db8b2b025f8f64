"""Site admins' image host list, in the Django admin: a change renders again what
names the host, so stored posts follow the list at once."""

import pytest
from django.urls import reverse

from core.models import AllowedImageHost
from forums.models import Post
from tests.factories import MembershipFactory, make_thread

pytestmark = pytest.mark.django_db

IMAGE = "![Logo](https://images.example.gov.uk/logo.png)"
AS_IMAGE = '<img alt="Logo" src="https://images.example.gov.uk/logo.png">'
AS_LINK = '<a href="https://images.example.gov.uk/logo.png" rel="nofollow ugc noopener">Logo</a>'


@pytest.fixture
def post(bob):
    community = MembershipFactory(user=bob).community
    return make_thread(community=community, author=bob, body=f"Our new {IMAGE}").posts.get()


def test_allowing_a_host_shows_its_images_already_posted(client, dora, post):
    assert AS_LINK in post.body_html
    client.force_login(dora)
    response = client.post(reverse("admin:core_allowedimagehost_add"), {"host": "images.example.gov.uk", "note": ""})
    assert response.status_code == 302
    assert AS_IMAGE in Post.objects.get(pk=post.pk).body_html


def test_removing_a_host_makes_its_images_already_posted_links(client, dora, bob):
    host = AllowedImageHost.objects.create(host="images.example.gov.uk")
    post = make_thread(community=MembershipFactory(user=bob).community, author=bob, body=IMAGE).posts.get()
    assert AS_IMAGE in post.body_html
    client.force_login(dora)
    response = client.post(reverse("admin:core_allowedimagehost_delete", args=[host.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AS_LINK in Post.objects.get(pk=post.pk).body_html


def test_a_host_with_a_scheme_or_path_is_refused_with_a_message(client, dora):
    client.force_login(dora)
    response = client.post(reverse("admin:core_allowedimagehost_add"), {"host": "https://x.example/a", "note": ""})
    assert "Enter a host name only" in response.content.decode()
    assert not AllowedImageHost.objects.exists()
