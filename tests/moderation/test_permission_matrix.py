"""Every moderation page and action against the matrix (tests/matrix.py): exactly who
sees each page, and POSTs by anyone not allowed change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from forums.models import Post, Thread
from members.models import User
from moderation import services
from moderation.models import CommunityModerationSettings, Flag, MemberSanction, ModerationAction
from tests.factories import make_reply, make_thread
from tests.matrix import CAN_MODERATE, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db

# Who may report a post written by the owner: approved readers who are not banned.
REPORTERS = {"outsider", "member", "facilitator", "site_admin"}


def expected(role: str, visibility: str, allowed: set[str]) -> int:
    if role == "anonymous":
        return 302
    if role not in CAN_READ[visibility]:
        return 404
    return 200 if role in allowed else 403


@pytest.fixture
def world(request):
    visibility = request.param
    community, cast = community_with_cast(visibility)
    thread = make_thread(community=community, author=cast["member"], title="Comments in the pre-election period")
    reply = make_reply(thread=thread, author=cast["member"], body="We switch comments off.")
    owners = make_reply(thread=thread, author=cast["owner"], body="A post by the owner.")
    held = make_reply(thread=thread, author=cast["member"], body="Held reply")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    hidden = make_reply(thread=thread, author=cast["member"], body="Hidden reply")
    Post.objects.filter(pk=hidden.pk).update(status=Post.Status.HIDDEN, moderation_reason="Off-topic")
    other = make_thread(community=community, author=cast["owner"], title="Another thread")
    flag = services.flag_create(post=reply, reporter=cast["facilitator"], reason=Flag.Reason.OFF_TOPIC)
    return {
        "visibility": visibility,
        "community": community,
        "cast": cast,
        "thread": thread,
        "reply": reply,
        "owners": owners,
        "held": held,
        "hidden": hidden,
        "other": other,
        "flag": flag,
    }


def community_pages(w) -> dict[str, str]:
    slug = w["community"].slug
    member = w["cast"]["member"].username
    return {
        "review": reverse("community_review", args=[slug]),
        "log": reverse("community_log", args=[slug]),
        "log_csv": reverse("community_log_csv", args=[slug]),
        "settings": reverse("moderation_settings", args=[slug]),
        "thread": reverse("thread_moderate", args=[w["thread"].pk]),
        "split": reverse("post_split", args=[w["reply"].pk]),
        "hide": reverse("post_hide", args=[w["reply"].pk]),
        "hide_and_ban": reverse("post_hide_and_ban", args=[w["reply"].pk]),
        "member": reverse("member_moderate", kwargs={"slug": slug, "username": member}),
    }


@pytest.mark.parametrize("world", VISIBILITIES, indirect=True)
def test_community_moderation_pages_follow_the_matrix(world):
    for role in ROLES:
        if role == "member":
            continue  # the member is the subject of the member page; checked below
        client = client_as(world["cast"][role])
        for name, url in community_pages(world).items():
            status = client.get(url).status_code
            assert status == expected(role, world["visibility"], CAN_MODERATE), (role, name, status)


@pytest.mark.parametrize("world", VISIBILITIES, indirect=True)
def test_members_get_403_on_moderation_pages(world):
    client = client_as(world["cast"]["member"])
    for name, url in community_pages(world).items():
        assert client.get(url).status_code == 403, name


@pytest.mark.parametrize("world", VISIBILITIES, indirect=True)
def test_report_page_follows_the_matrix(world):
    url = reverse("post_report", args=[world["owners"].pk])
    for role in ROLES:
        status = client_as(world["cast"][role]).get(url).status_code
        assert status == expected(role, world["visibility"], REPORTERS), (role, status)


@pytest.mark.parametrize("world", ["private"], indirect=True)  # site pages do not depend on visibility
def test_site_pages_are_for_site_admins_only(world):
    for role in ROLES:
        client = client_as(world["cast"][role])
        for name in ["site_review", "site_log", "site_log_csv"]:
            status = client.get(reverse(name)).status_code
            wanted = 302 if role == "anonymous" else 200 if role == "site_admin" else 404
            assert status == wanted, (role, name, status)


def state(w) -> tuple:
    """Everything a moderation POST could change."""
    return (
        tuple(Post.objects.order_by("pk").values_list("pk", "thread_id", "status", "parent_id", "sort_path")),
        tuple(Thread.objects.order_by("pk").values_list("pk", "title", "community_id", "is_hidden")),
        tuple(Flag.objects.order_by("pk").values_list("pk", "status")),
        tuple(Membership.objects.order_by("pk").values_list("pk", "status")),
        tuple(User.objects.order_by("pk").values_list("pk", "status")),
        MemberSanction.objects.count(),
        CommunityModerationSettings.objects.count(),
        ModerationAction.objects.count(),
    )


def actions(w) -> list[tuple[str, dict]]:
    slug = w["community"].slug
    member = w["cast"]["member"].username
    until = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    on_member = {"slug": slug, "username": member}
    return [
        (reverse("post_approve", args=[w["held"].pk]), {}),
        (reverse("post_hide", args=[w["reply"].pk]), {"reason": "Off-topic"}),
        (reverse("post_hide_and_ban", args=[w["reply"].pk]), {"reason": "Abuse"}),
        (reverse("flag_dismiss", args=[w["flag"].pk]), {}),
        (reverse("post_restore", args=[w["hidden"].pk]), {}),
        (reverse("post_split", args=[w["reply"].pk]), {"title": "Split off"}),
        (reverse("moderation_settings", args=[slug]), {"hold_first_posts": "3", "premoderate_all": "on"}),
        (reverse("thread_rename", args=[w["thread"].pk]), {"rename-title": "Renamed"}),
        (reverse("thread_hide", args=[w["thread"].pk]), {"visibility-reason": "Hidden"}),
        (reverse("thread_merge", args=[w["other"].pk]), {"merge-target": w["thread"].pk}),
        (reverse("member_warn", kwargs=on_member), {"warn-message": "Careful"}),
        (reverse("member_mute", kwargs=on_member), {"mute-until": until, "mute-reason": "Cool off"}),
        (reverse("member_premoderate", kwargs=on_member), {"premoderate-reason": "Spam risk"}),
        (reverse("member_ban", kwargs=on_member), {"ban-reason": "Abuse"}),
        (reverse("user_suspend", kwargs=on_member), {"suspend-reason": "Impersonation"}),
    ]


@pytest.mark.parametrize("world", VISIBILITIES, indirect=True)
def test_posts_by_people_who_may_not_moderate_change_nothing(world):
    before = state(world)
    for role in ROLES:
        if role in CAN_MODERATE:
            continue
        client = client_as(world["cast"][role])
        for url, data in actions(world):
            status = client.post(url, data).status_code
            assert status in (302, 403, 404), (role, url, status)
            if role != "anonymous":
                assert status in (403, 404), (role, url, status)
    assert state(world) == before


@pytest.mark.parametrize("world", ["private"], indirect=True)
def test_facilitators_may_take_every_action(world):
    client = client_as(world["cast"]["facilitator"])
    for url, data in actions(world):
        if "suspend" in url:
            continue  # site admins only
        assert client.post(url, data).status_code == 302, url
    kinds = set(ModerationAction.objects.values_list("action", flat=True))
    wanted = {"post_approve", "post_hide", "post_restore", "thread_rename", "thread_merge", "member_warn"}
    assert wanted <= kinds


def test_a_facilitator_of_one_community_has_no_power_in_another():
    public, public_cast = community_with_cast("public")
    private, private_cast = community_with_cast("private")
    facilitator = public_cast["facilitator"]
    thread = make_thread(community=private, author=private_cast["member"])
    post = thread.posts.get()
    client = client_as(facilitator)
    assert client.get(reverse("community_review", args=[private.slug])).status_code == 404
    assert client.post(reverse("post_hide", args=[post.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("thread_rename", args=[thread.pk]), {"rename-title": "x"}).status_code == 404
    public_thread = make_thread(community=public, author=public_cast["member"])
    response = client.post(reverse("thread_move", args=[public_thread.pk]), {"move-community": private.pk})
    assert response.status_code == 200  # the form refuses a community they do not facilitate
    assert Thread.objects.get(pk=public_thread.pk).community == public
    assert not ModerationAction.objects.exists()
