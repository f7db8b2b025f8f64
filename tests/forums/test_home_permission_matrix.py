"""The home page's sections and choices against the permission matrix (tests/matrix.py):
every role × every visibility. A thread or community appears on someone's home page only
if they may read it; the member sections show only the communities they belong to."""

import pytest
from django.urls import reverse

from forums.models import AnnouncementDismissal, TagFollow, Thread
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread
from tests.matrix import CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db

# Who belongs to the community: its threads fill their "new", "waiting" and announcement sections.
ACTIVE_MEMBERS = {"member", "facilitator", "owner"}
# Who gets the visitor's home page (latest public discussions, active public communities).
NOT_YET_MEMBERS = {"anonymous", "pending"}


def build(visibility: str) -> dict:
    community, cast = community_with_cast(visibility)
    poster = UserFactory(username=f"poster_{visibility}")
    MembershipFactory(community=community, user=poster)
    question = make_thread(community=community, author=poster, title="Matrix waiting question", tags=["matrix"])
    make_reply(thread=question, author=poster, body="Still hoping")
    news = make_thread(community=community, author=poster, title="Matrix announcement", kind=Thread.Kind.ANNOUNCEMENT)
    return {"community": community, "cast": cast, "question": question, "announcement": news}


def shows_threads(role: str, visibility: str) -> bool:
    return role in ACTIVE_MEMBERS or (visibility == "public" and role in NOT_YET_MEMBERS)


def shows_community(role: str, visibility: str) -> bool:
    """Members see it in "Your communities"; approved non-members may be offered it on a
    first visit (site admins read everything; a banned member is never offered it back);
    visitors see it among the active public communities."""
    if role in ACTIVE_MEMBERS or role == "site_admin":
        return True
    if role == "outsider":
        return visibility != "private"
    return visibility == "public" and role in NOT_YET_MEMBERS


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_home_sections_show_each_role_exactly_what_the_policy_allows(visibility):
    ctx = build(visibility)
    seen, expected = {}, {}
    for role in ROLES:
        body = client_as(ctx["cast"][role]).get("/").content.decode()
        seen[role] = (
            "Matrix waiting question" in body,
            "Matrix announcement" in body,
            # Its link: the cast's display names hold the community's name.
            f'href="{ctx["community"].get_absolute_url()}"' in body,
        )
        threads = shows_threads(role, visibility)
        expected[role] = (threads, threads, shows_community(role, visibility))
    assert seen == expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_nobody_sees_on_the_home_page_a_thread_they_may_not_read(visibility):
    ctx = build(visibility)
    for role in ROLES:
        body = client_as(ctx["cast"][role]).get("/").content.decode()
        if role not in CAN_READ[visibility]:
            assert "Matrix waiting question" not in body, role
            assert "Matrix announcement" not in body, role


def expected_status(role: str, visibility: str, allowed: set) -> int:
    if role == "anonymous":
        return 302  # to sign in
    if role not in CAN_READ[visibility]:
        return 404
    return 302 if role in allowed else 403


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_dismissing_an_announcement_follows_the_policy(visibility):
    ctx = build(visibility)
    results, expected = {}, {}
    for role in ROLES:
        response = client_as(ctx["cast"][role]).post(reverse("announcement_dismiss", args=[ctx["announcement"].pk]))
        results[role] = response.status_code
        expected[role] = expected_status(role, visibility, set(ROLES))
        dismissed = (
            AnnouncementDismissal.objects.filter(user=ctx["cast"][role]).exists() if ctx["cast"][role] else False
        )
        assert dismissed == (results[role] == 302 and role != "anonymous"), role
    assert results == expected


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_following_a_tag_follows_the_policy(visibility):
    ctx = build(visibility)
    results, expected = {}, {}
    for role in ROLES:
        response = client_as(ctx["cast"][role]).post(reverse("tag_follow", args=["matrix"]))
        results[role] = response.status_code
        expected[role] = expected_status(role, visibility, set(ROLES) - {"pending"})
        followed = TagFollow.objects.filter(user=ctx["cast"][role]).exists() if ctx["cast"][role] else False
        assert followed == (results[role] == 302 and role != "anonymous"), role
    assert results == expected
