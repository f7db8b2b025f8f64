"""Pre-election period pages against the matrix (tests/matrix.py): facilitators see a
community's periods and its pre-election queue, owners set and cancel its periods,
site admins do everything site-wide; nobody else changes anything."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import elections
from moderation.election_models import PreElectionPeriod
from moderation.models import ModerationAction
from tests.matrix import CAN_MANAGE_ROLES, CAN_MODERATE, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db


def expected(role: str, visibility: str, allowed: set[str]) -> int:
    if role == "anonymous":
        return 302
    if role not in CAN_READ[visibility]:
        return 404
    return 200 if role in allowed else 403


def new_period(community=None) -> PreElectionPeriod:
    today = timezone.localdate()
    return elections.period_create(
        by=None,
        community=community,
        title="May local elections",
        start_date=today,
        end_date=today + timedelta(days=30),
        guidance_url="https://www.gov.uk/guidance",
    )


@pytest.fixture
def world(request):
    community, cast = community_with_cast(request.param)
    return {"visibility": request.param, "community": community, "cast": cast, "period": new_period(community)}


@pytest.mark.parametrize("world", VISIBILITIES, indirect=True)
def test_a_communitys_periods_pages_follow_the_matrix(world):
    slug = world["community"].slug
    pages = {
        "community_periods": CAN_MODERATE,
        "community_review_pre_election": CAN_MODERATE,
        "community_period_new": CAN_MANAGE_ROLES,
    }
    for role in ROLES:
        client = client_as(world["cast"][role])
        for name, allowed in pages.items():
            status = client.get(reverse(name, args=[slug])).status_code
            assert status == expected(role, world["visibility"], allowed), (role, name, status)


@pytest.mark.parametrize("world", ["private"], indirect=True)  # site pages do not depend on visibility
def test_site_periods_pages_are_for_site_admins_only(world):
    for role in ROLES:
        client = client_as(world["cast"][role])
        for name in ["site_periods", "site_period_new", "site_review_pre_election"]:
            status = client.get(reverse(name)).status_code
            wanted = 302 if role == "anonymous" else 200 if role == "site_admin" else 404
            assert status == wanted, (role, name, status)


def state() -> tuple:
    return (
        tuple(PreElectionPeriod.objects.order_by("pk").values_list("pk", "cancelled_at")),
        ModerationAction.objects.count(),
    )


@pytest.mark.parametrize("world", VISIBILITIES, indirect=True)
def test_posts_by_people_who_may_not_set_periods_change_nothing(world):
    site_wide = new_period()
    slug = world["community"].slug
    today = timezone.localdate()
    data = {
        "title": "By-election",
        "start_date": today.strftime("%d/%m/%Y"),
        "end_date": (today + timedelta(days=3)).strftime("%d/%m/%Y"),
        "covers": "all",
        "guidance_url": "https://www.gov.uk/guidance",
    }
    posts = [
        (reverse("community_period_new", args=[slug]), data),
        (reverse("site_period_new"), data),
        (reverse("period_cancel", args=[world["period"].pk]), {}),
        (reverse("period_cancel", args=[site_wide.pk]), {}),
    ]
    before = state()
    for role in ROLES:
        if role in CAN_MANAGE_ROLES:
            continue
        client = client_as(world["cast"][role])
        for url, form in posts:
            status = client.post(url, form).status_code
            assert status in ((302,) if role == "anonymous" else (403, 404)), (role, url, status)
    assert state() == before


@pytest.mark.parametrize("world", ["private"], indirect=True)
def test_an_owner_sets_and_cancels_their_communitys_periods_but_not_site_wide_ones(world):
    site_wide = new_period()
    client = client_as(world["cast"]["owner"])
    assert client.post(reverse("period_cancel", args=[world["period"].pk])).status_code == 302
    assert client.post(reverse("period_cancel", args=[site_wide.pk])).status_code == 404
    site_wide.refresh_from_db()
    assert site_wide.cancelled_at is None
