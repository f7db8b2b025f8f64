"""A forwarded chain, for every role × visibility (against tests/matrix.py): before it
is published only its forwarder (on the preview page) and those who moderate the
community see it; once published it follows the community's visibility like any
thread. The paste page is for those who may post in the community."""

import pytest
from django.urls import reverse

from forums.models import Post, Thread
from forums.similar import similar_threads
from notifications.archive_services import archive_import_publish
from notifications.chain_services import chain_import_start, chain_messages_from_text
from tests.matrix import CAN_MODERATE, CAN_POST, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast
from tests.notifications import chain_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def forwarded(visibility: str):
    community, cast = community_with_cast(visibility)
    batch = chain_import_start(
        community=community, by=cast["member"], messages=chain_messages_from_text(samples.OUTLOOK)
    )
    batch.community = community
    return community, cast, batch, Thread.objects.get(title=samples.SUBJECT)


def sees(role, cast, community, thread) -> dict[str, bool]:
    user = cast[role]
    client = client_as(user)
    found = client.get(reverse("search"), {"q": "political comments"}).content.decode()
    surfaces = {
        "thread page": client.get(thread.get_absolute_url()).status_code == 200,
        "community home": samples.SUBJECT in client.get(community.get_absolute_url()).content.decode(),
        "search": any(f'href="/posts/{pk}/"' in found for pk in thread.posts.values_list("pk", flat=True)),
    }
    if user is not None:
        surfaces["similar"] = any(t.pk == thread.pk for t in similar_threads(user, "election period comments"))
        surfaces["posts"] = Post.objects.visible_to(user).filter(thread=thread).exists()
    return surfaces


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_an_unpublished_chain_is_seen_only_by_those_who_moderate(visibility):
    community, cast, _, thread = forwarded(visibility)
    for role in ROLES:
        expected = role in CAN_MODERATE
        seen = sees(role, cast, community, thread)
        assert seen == dict.fromkeys(seen, expected), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_preview_is_for_the_forwarder_and_those_who_moderate(visibility):
    community, cast, batch, _ = forwarded(visibility)
    url = reverse("chain_detail", args=[community.slug, batch.pk])
    for role in ROLES:
        status = client_as(cast[role]).get(url).status_code
        if role == "anonymous":
            assert status == 302, role
        else:
            assert status == (200 if role in CAN_MODERATE | {"member"} else 404), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_a_published_chain_follows_the_communitys_visibility(visibility):
    community, cast, batch, thread = forwarded(visibility)
    archive_import_publish(batch=batch, by=cast["member"])
    for role in ROLES:
        expected = role in CAN_READ[visibility]
        seen = sees(role, cast, community, thread)
        assert seen == dict.fromkeys(seen, expected), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_paste_page_is_for_those_who_may_post(visibility):
    community, cast = community_with_cast(visibility)
    url = reverse("chain_start", args=[community.slug])
    for role in ROLES:
        status = client_as(cast[role]).get(url).status_code
        if role == "anonymous":
            assert status == 302, role
        elif role in CAN_POST:
            assert status == 200, role
        else:
            assert status == (403 if role in CAN_READ[visibility] else 404), role
