"""Who may see and do what with threads, posts, tags and attachments: every role ×
every visibility, against the tables in tests/matrix.py. Refused POSTs change nothing."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.forms import ReplyForm
from forums.models import Attachment, HelpfulMark, Post, Thread, ThreadSubscription
from forums.services import post_edit
from tests.factories import MembershipFactory, UserFactory, form_token, make_reply, make_thread
from tests.matrix import CAN_MODERATE, CAN_POST, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db

READERS_WHO_MAY_WATCH = {"outsider", "member", "facilitator", "owner", "site_admin"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)


def build(visibility: str) -> dict:
    """A community with the whole cast, and a question by a member outside the cast
    ("poster"), so no role is the author."""
    community, cast = community_with_cast(visibility)
    poster = UserFactory(username=f"poster_{visibility}")
    MembershipFactory(community=community, user=poster)
    thread = make_thread(community=community, author=poster, title="Matrix question", tags=[f"tag-{visibility}"])
    reply = make_reply(thread=thread, author=poster, body="A reply")
    post_edit(post=reply, editor=poster, body="A reply, edited")
    form = ReplyForm({"body": "x"}, {"attachments": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")]})
    assert form.is_valid(), form.errors
    upload, content_type, name = form.cleaned_data["attachments"][0]
    attachment = Attachment.objects.create(post=reply, file=upload, filename=name, content_type=content_type, size=9)
    return {"community": community, "cast": cast, "thread": thread, "reply": reply, "attachment": attachment}


@dataclass
class Surface:
    name: str
    method: str
    url: Callable[[dict], str]
    allowed: set  # roles that succeed, among those who may read
    ok: int  # status code on success
    login_required: bool = True
    data: Callable[[dict], dict] | None = None
    state: Callable[[dict], object] | None = None  # what a refused POST must not change


def t(ctx):
    return Thread.objects.get(pk=ctx["thread"].pk)


SURFACES = [
    Surface("thread page", "get", lambda c: c["thread"].get_absolute_url(), set(ROLES), 200, login_required=False),
    Surface("post redirect", "get", lambda c: reverse("post_redirect", args=[c["reply"].pk]), set(ROLES), 302, False),
    Surface(
        "tag page", "get", lambda c: reverse("tag_threads", args=[c["thread"].tags.get().slug]), set(ROLES), 200, False
    ),
    Surface("attachment", "get", lambda c: c["attachment"].get_absolute_url(), set(ROLES), 200, login_required=False),
    Surface("new thread form", "get", lambda c: reverse("thread_new", args=[c["community"].slug]), CAN_POST, 200),
    Surface(
        "new thread",
        "post",
        lambda c: reverse("thread_new", args=[c["community"].slug]),
        CAN_POST,
        302,
        data=lambda c: {"title": "New one", "kind": "question", "body": "Hello"},
        state=lambda c: Thread.objects.filter(community=c["community"]).count(),
    ),
    Surface(
        "reply",
        "post",
        lambda c: reverse("post_reply", args=[c["reply"].pk]),
        CAN_POST,
        302,
        data=lambda c: {"body": "Me too"},
        state=lambda c: Post.objects.filter(thread=c["thread"]).count(),
    ),
    Surface(
        "edit",
        "post",
        lambda c: reverse("post_edit", args=[c["reply"].pk]),
        CAN_MODERATE,
        302,
        data=lambda c: {"body": "Changed"},
        state=lambda c: Post.objects.get(pk=c["reply"].pk).body,
    ),
    Surface(
        "writing check",
        "post",
        lambda c: reverse("writing_check", args=[c["community"].slug]),
        CAN_POST,
        200,
        data=lambda c: {"body": "Is this clear enough?"},
        state=lambda c: Post.objects.count(),  # it only advises
    ),
    Surface("revisions", "get", lambda c: reverse("post_revisions", args=[c["reply"].pk]), CAN_MODERATE, 200),
    Surface(
        "delete",
        "post",
        lambda c: reverse("post_delete", args=[c["reply"].pk]),
        CAN_MODERATE,
        302,
        state=lambda c: Post.objects.get(pk=c["reply"].pk).status,
    ),
    Surface(
        "accept",
        "post",
        lambda c: reverse("post_accept", args=[c["reply"].pk]),
        CAN_MODERATE,
        302,
        state=lambda c: t(c).accepted_answer_id,
    ),
    Surface(
        "helpful",
        "post",
        lambda c: reverse("post_helpful", args=[c["reply"].pk]),
        CAN_POST,
        302,
        state=lambda c: HelpfulMark.objects.count(),
    ),
    Surface(
        "pin",
        "post",
        lambda c: reverse("thread_pin", args=[c["thread"].pk]),
        CAN_MODERATE,
        302,
        state=lambda c: t(c).is_pinned,
    ),
    Surface(
        "lock",
        "post",
        lambda c: reverse("thread_lock", args=[c["thread"].pk]),
        CAN_MODERATE,
        302,
        data=lambda c: {"reason": "Done"},
        state=lambda c: t(c).is_locked,
    ),
    Surface(
        "watch",
        "post",
        lambda c: reverse("thread_subscription", args=[c["thread"].pk]),
        READERS_WHO_MAY_WATCH,
        302,
        data=lambda c: {"level": "watching"},
        state=lambda c: ThreadSubscription.objects.count(),
    ),
]


def expected_status(surface: Surface, role: str, visibility: str) -> int:
    if role == "anonymous" and surface.login_required:
        return 302
    if role not in CAN_READ[visibility]:
        return 404
    return surface.ok if role in surface.allowed else 403


def reset(ctx) -> None:
    """Undo what an allowed action did, so the next role starts from the same place."""
    Thread.objects.filter(pk=ctx["thread"].pk).update(
        is_pinned=False, is_locked=False, lock_reason="", accepted_answer=None
    )
    Post.objects.filter(pk=ctx["reply"].pk).update(status=Post.Status.PUBLISHED, body="A reply, edited")
    Thread.objects.filter(community=ctx["community"]).exclude(pk=ctx["thread"].pk).delete()
    Post.objects.filter(thread=ctx["thread"]).exclude(pk__in=[ctx["reply"].pk, ctx["reply"].parent_id]).delete()
    HelpfulMark.objects.all().delete()
    ThreadSubscription.objects.all().delete()


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("surface", SURFACES, ids=[s.name for s in SURFACES])
def test_every_role_gets_exactly_what_the_policy_allows(surface, visibility):
    ctx = build(visibility)
    results, wrong_changes = {}, []
    for role in ROLES:
        before = surface.state(ctx) if surface.state else None
        client = client_as(ctx["cast"][role])
        data = surface.data(ctx) if surface.data else {}
        if ctx["cast"][role] is not None:
            data = {**data, "form_token": form_token(ctx["cast"][role])}  # as a form's page gives it (core.once)
        response = getattr(client, surface.method)(surface.url(ctx), data)
        results[role] = response.status_code
        if surface.state and response.status_code != surface.ok and surface.state(ctx) != before:
            wrong_changes.append(role)
        reset(ctx)
    expected = {role: expected_status(surface, role, visibility) for role in ROLES}
    assert results == expected
    assert wrong_changes == []


@pytest.mark.parametrize("surface", [s for s in SURFACES if s.method == "post"], ids=lambda s: s.name)
def test_another_communitys_facilitator_changes_nothing(surface):
    ctx = build("public")
    other, other_cast = community_with_cast("private")
    before = surface.state(ctx)
    response = getattr(client_as(other_cast["facilitator"]), surface.method)(
        surface.url(ctx), surface.data(ctx) if surface.data else {}
    )
    if surface.allowed == CAN_MODERATE:
        assert response.status_code == 403
        assert surface.state(ctx) == before
    else:
        assert response.status_code in (302, 403)


def test_matrix_covers_every_forum_surface():
    assert {s.name for s in SURFACES} >= {
        "thread page", "post redirect", "new thread", "reply", "edit", "delete", "accept",
        "helpful", "pin", "lock", "watch", "revisions", "tag page", "attachment", "writing check",
    }  # fmt: skip
