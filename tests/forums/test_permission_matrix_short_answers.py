"""Short answers and "who knows about this" against the permission matrix: every role
× every visibility. Only those who may choose the accepted answer change a short
answer; nobody who may not read a community sees its short answers or its experts,
on the thread, in search, in similar questions, on tag pages or in the directory."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import Thread
from forums.services import answer_accept
from forums.short_answers import short_answer_save
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread
from tests.matrix import CAN_MODERATE, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db

SECRET = "Quokkas"  # a word only the short answer holds


def build(visibility: str) -> dict:
    """A question by a member outside the cast, answered by a listed expert, with a short answer."""
    community, cast = community_with_cast(visibility)
    poster = UserFactory(username=f"poster_{visibility}")
    expert = UserFactory(username=f"expert_{visibility}", display_name=f"Zed Expert {visibility}")
    for person in (poster, expert):
        MembershipFactory(community=community, user=person)
    thread = make_thread(community=community, author=poster, title="Matrix badgers", tags=[f"tag-{visibility}"])
    answer_accept(thread=thread, post=make_reply(thread=thread, author=expert, body="Setts."), by=poster)
    review_by = timezone.localdate() + datetime.timedelta(days=30)
    short_answer_save(thread=thread, by=poster, body=f"{SECRET} know.", review_by=review_by)
    thread.refresh_from_db()
    return {"community": community, "cast": cast, "thread": thread, "expert": expert, "visibility": visibility}


def review_date() -> str:
    return (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d/%m/%Y")


@dataclass
class Surface:
    name: str
    method: str
    url: Callable[[dict], str]
    ok: int
    data: Callable[[dict], dict] | None = None
    state: Callable[[dict], object] | None = None


def short_answer_state(ctx) -> tuple:
    thread = Thread.objects.get(pk=ctx["thread"].pk)
    return (thread.short_answer, thread.short_answer_review_by, thread.short_answer_confirmed_at)


SURFACES = [
    Surface("short answer form", "get", lambda c: reverse("short_answer_edit", args=[c["thread"].pk]), 200),
    Surface(
        "write short answer",
        "post",
        lambda c: reverse("short_answer_edit", args=[c["thread"].pk]),
        302,
        data=lambda c: {"body": "Changed.", "review_by": review_date()},
        state=short_answer_state,
    ),
    Surface(
        "confirm short answer",
        "post",
        lambda c: reverse("short_answer_confirm", args=[c["thread"].pk]),
        302,
        data=lambda c: {"review_by": review_date()},
        state=short_answer_state,
    ),
    Surface(
        "remove short answer",
        "post",
        lambda c: reverse("short_answer_remove", args=[c["thread"].pk]),
        302,
        state=short_answer_state,
    ),
]


def expected_status(surface: Surface, role: str, visibility: str) -> int:
    if role == "anonymous":
        return 302
    if role not in CAN_READ[visibility]:
        return 404
    return surface.ok if role in CAN_MODERATE else 403


def reset(ctx) -> None:
    original = ctx["thread"]
    Thread.objects.filter(pk=original.pk).update(
        short_answer=original.short_answer,
        short_answer_html=original.short_answer_html,
        short_answer_review_by=original.short_answer_review_by,
        short_answer_confirmed_at=original.short_answer_confirmed_at,
    )


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", SURFACES, ids=[s.name for s in SURFACES])
def test_only_the_asker_and_moderators_change_a_short_answer(surface, visibility):
    ctx = build(visibility)
    results, wrong_changes = {}, []
    for role in ROLES:
        before = surface.state(ctx) if surface.state else None
        data = surface.data(ctx) if surface.data else {}
        response = getattr(client_as(ctx["cast"][role]), surface.method)(surface.url(ctx), data)
        results[role] = response.status_code
        if surface.state and response.status_code != surface.ok and surface.state(ctx) != before:
            wrong_changes.append(role)
        reset(ctx)
    assert results == {role: expected_status(surface, role, visibility) for role in ROLES}
    assert wrong_changes == []


def test_the_asker_may_change_the_short_answer(db):
    ctx = build("private")
    poster = ctx["thread"].author
    response = client_as(poster).post(
        reverse("short_answer_edit", args=[ctx["thread"].pk]), {"body": "Changed.", "review_by": review_date()}
    )
    assert response.status_code == 302
    assert Thread.objects.get(pk=ctx["thread"].pk).short_answer == "Changed."


def test_another_communitys_facilitator_changes_nothing(db):
    ctx = build("public")
    _, other_cast = community_with_cast("private")
    before = short_answer_state(ctx)
    response = client_as(other_cast["facilitator"]).post(reverse("short_answer_remove", args=[ctx["thread"].pk]))
    assert response.status_code == 403
    assert short_answer_state(ctx) == before


# Where short answers and experts show: readers see them, nobody else does.

SHOWN_ON = {
    "thread page": lambda c: (c["thread"].get_absolute_url(), {}),
    "search": lambda c: (reverse("search"), {"q": "badgers"}),
    "similar questions": lambda c: (reverse("similar_threads"), {"title": "Matrix badgers"}),
}


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("where", SHOWN_ON)
def test_a_short_answer_shows_to_readers_only(where, visibility):
    ctx = build(visibility)
    url, params = SHOWN_ON[where](ctx)
    seen = {role for role in ROLES if SECRET in client_as(ctx["cast"][role]).get(url, params).content.decode()}
    assert seen == CAN_READ[visibility]


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_a_tag_page_names_experts_to_readers_only(visibility):
    ctx = build(visibility)
    url = reverse("tag_threads", args=[f"tag-{visibility}"])
    seen = {role for role in ROLES if ctx["expert"].name in client_as(ctx["cast"][role]).get(url).content.decode()}
    assert seen == CAN_READ[visibility]


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_the_directory_ranks_by_what_each_viewer_may_read(visibility):
    ctx = build(visibility)
    params = {"tag": f"tag-{visibility}", "sort": "expertise", "q": "Zed"}
    ranked = set()
    for role in ["outsider", "member", "facilitator", "owner", "site_admin"]:
        page = client_as(ctx["cast"][role]).get(reverse("member_directory"), params).content.decode()
        assert ctx["expert"].name in page  # listed members are in the directory either way
        if "1 accepted answer and helpful mark" in page:
            ranked.add(role)
    assert ranked == CAN_READ[visibility] & {"outsider", "member", "facilitator", "owner", "site_admin"}
