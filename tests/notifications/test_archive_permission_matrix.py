"""Imported content before and after publishing, for every role × visibility (against
tests/matrix.py): unpublished, only those who moderate the community see it anywhere;
published, it follows the community's visibility like any thread. The import pages
themselves are for moderators only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Post, Thread
from forums.similar import similar_threads
from notifications.archive_import import import_run
from notifications.archive_services import archive_import_publish, archive_import_start
from tests.matrix import CAN_MODERATE, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast
from tests.notifications import archive_samples as samples

pytestmark = pytest.mark.django_db
TITLE = "How do you handle election-period comments?"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def imported(visibility: str):
    community, cast = community_with_cast(visibility)
    batch = archive_import_start(
        community=community,
        by=cast["facilitator"],
        upload=SimpleUploadedFile("list.mbox", samples.mbox(samples.CONVERSATION)),
        enqueue=False,
    )
    batch = import_run(batch_id=batch.pk)
    return community, cast, batch, Thread.objects.get(title=TITLE)


def sees(role, cast, community, thread) -> dict[str, bool]:
    user = cast[role]
    client = client_as(user)
    found = client.get(reverse("search"), {"q": "political comments"}).content.decode()
    surfaces = {
        "thread page": client.get(thread.get_absolute_url()).status_code == 200,
        "community home": TITLE in client.get(community.get_absolute_url()).content.decode(),
        "search": any(f'href="/posts/{pk}/"' in found for pk in thread.posts.values_list("pk", flat=True)),
    }
    if user is not None:
        surfaces["similar"] = any(t.pk == thread.pk for t in similar_threads(user, "election period comments"))
        surfaces["posts"] = Post.objects.visible_to(user).filter(thread=thread).exists()
    return surfaces


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_unpublished_import_is_seen_only_by_those_who_moderate(visibility):
    community, cast, _, thread = imported(visibility)
    for role in ROLES:
        expected = role in CAN_MODERATE
        seen = sees(role, cast, community, thread)
        assert seen == dict.fromkeys(seen, expected), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_published_import_follows_the_communitys_visibility(visibility):
    community, cast, batch, thread = imported(visibility)
    batch.community = community
    archive_import_publish(batch=batch, by=cast["facilitator"])
    for role in ROLES:
        expected = role in CAN_READ[visibility]
        seen = sees(role, cast, community, thread)
        assert seen == dict.fromkeys(seen, expected), role


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_import_pages_are_for_moderators_only(visibility):
    community, cast, batch, _ = imported(visibility)
    urls = [
        reverse("archive_import_list", args=[community.slug]),
        reverse("archive_import_detail", args=[community.slug, batch.pk]),
    ]
    for role in ROLES:
        for url in urls:
            status = client_as(cast[role]).get(url).status_code
            if role == "anonymous":
                assert status == 302, (role, url)
            elif role in CAN_MODERATE:
                assert status == 200, (role, url)
            else:
                # 404 where they may not see the community, 403 where they may
                assert status == (403 if role in CAN_READ[visibility] else 404), (role, url)
