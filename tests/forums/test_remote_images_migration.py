"""forums/migrations/0007: HTML stored before remote images were made links is cleaned again."""

import importlib

import pytest
from django.apps import apps

from communities.models import Community
from forums.models import Post
from tests.factories import CommunityFactory, MembershipFactory, make_thread

pytestmark = pytest.mark.django_db

migration = importlib.import_module("forums.migrations.0007_remote_images_as_links")
OLD_HTML = (
    '<p>Map: <img alt="Flood map" src="https://tracker.example.com/map.png"> <img alt="ours" src="/media/a.png"></p>'
)
CLEANED = (
    '<p>Map: <a href="https://tracker.example.com/map.png" rel="nofollow ugc noopener">Flood map</a> '
    '<img alt="ours" src="/media/a.png"></p>'
)


def test_stored_posts_and_descriptions_with_remote_images_are_cleaned(bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    post = make_thread(community=community, author=bob).posts.get()
    Post.objects.filter(pk=post.pk).update(body_html=OLD_HTML)
    Community.objects.filter(pk=community.pk).update(description_html=OLD_HTML)
    type(bob).objects.filter(pk=bob.pk).update(bio_html=OLD_HTML)

    migration.clean_stored_images(apps, None)

    assert Post.objects.get(pk=post.pk).body_html == CLEANED
    assert Community.objects.get(pk=community.pk).description_html == CLEANED
    assert type(bob).objects.get(pk=bob.pk).bio_html == CLEANED
