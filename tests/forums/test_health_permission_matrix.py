"""The health pages against the permission matrix (tests/matrix.py): a community's
health page for its facilitators only (404 for everyone else, who must not learn it
is there), and the every-community table and CSV for site admins (403 with a reason
for other signed-in people)."""

import pytest
from django.urls import reverse

from forums.models import Thread
from tests.factories import make_reply, make_thread
from tests.matrix import CAN_MODERATE, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db


def expected_for_health_page(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in CAN_MODERATE else 404


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_community_health_page_follows_the_matrix(visibility):
    community, cast = community_with_cast(visibility)
    thread = make_thread(community=community, author=cast["member"], title="Purdah rules for social media")
    make_reply(thread=thread, author=cast["owner"])
    url = reverse("community_health", kwargs={"slug": community.slug})
    for role in ROLES:
        response = client_as(cast[role]).get(url)
        assert response.status_code == expected_for_health_page(role), (role, visibility)
        if response.status_code == 200:
            assert b"Community health" in response.content


@pytest.mark.parametrize("name", ["community_health_all", "community_health_csv"])
def test_every_community_health_table_and_csv_are_for_site_admins_only(name):
    community, cast = community_with_cast("private")
    url = reverse(name)
    for role in ROLES:
        response = client_as(cast[role]).get(url)
        if role == "anonymous":
            assert response.status_code == 302
        elif role == "site_admin":
            assert response.status_code == 200
            assert community.name.encode() in response.content
        else:
            assert response.status_code == 403, role
            assert b"Only site administrators can see every community" in response.content


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_highlights_page_follows_the_matrix(visibility):
    community, cast = community_with_cast(visibility)
    url = reverse("community_highlights", kwargs={"slug": community.slug})
    for role in ROLES:
        assert client_as(cast[role]).get(url).status_code == expected_for_health_page(role), (role, visibility)


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_featuring_a_thread_follows_the_matrix_and_refusals_change_nothing(visibility):
    community, cast = community_with_cast(visibility)
    thread = make_thread(community=community, author=cast["member"], title="Purdah rules for social media")
    url = reverse("thread_feature", kwargs={"slug": community.slug, "pk": thread.pk})
    for role in ROLES:
        response = client_as(cast[role]).post(url)
        thread.refresh_from_db()
        if role == "anonymous":
            assert response.status_code == 302
        elif role in CAN_MODERATE:
            assert response.status_code == 302 and thread.featured_at is not None, role
            Thread.objects.filter(pk=thread.pk).update(featured_at=None)
        else:
            assert response.status_code == (403 if role in CAN_READ[visibility] else 404), (role, visibility)
            assert thread.featured_at is None
