"""Search surfaces against the matrix (tests/matrix.py): search results, their snippets,
the list of what one member wrote and similar-thread suggestions show exactly what each
role may read, and held, hidden and deleted posts match only for those who may see them."""

import pytest
from django.urls import reverse

from forums.models import Post, Thread
from tests.factories import make_reply, make_thread
from tests.matrix import CAN_MODERATE, CAN_READ, ROLES, VISIBILITIES, client_as, community_with_cast

pytestmark = pytest.mark.django_db


@pytest.fixture(params=VISIBILITIES)
def world(request):
    community, cast = community_with_cast(request.param)
    thread = make_thread(community=community, author=cast["member"], title="Zebra crossing campaign", body="Zebra.")
    make_reply(thread=thread, author=cast["owner"], body="Our quagga posters worked.")
    for status, word in [
        (Post.Status.HELD, "okapi"),
        (Post.Status.HIDDEN, "narwhal"),
        (Post.Status.DELETED, "axolotl"),
    ]:
        post = make_reply(thread=thread, author=cast["member"], body=f"A reply about the {word}.")
        Post.objects.filter(pk=post.pk).update(status=status)
    hidden = make_thread(community=community, author=cast["member"], title="Pangolin rota", body="Pangolin.")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    return request.param, cast


def found(client, query: str) -> str:
    return client.get(reverse("search"), {"q": query}).content.decode()


def test_search_results_follow_the_matrix(world):
    visibility, cast = world
    for role in ROLES:
        page = found(client_as(cast[role]), "zebra")
        assert ("crossing campaign" in page) == (role in CAN_READ[visibility]), (visibility, role)


def test_snippets_follow_the_matrix(world):
    visibility, cast = world
    for role in ROLES:
        page = found(client_as(cast[role]), "quagga")
        assert ("<mark>quagga</mark>" in page) == (role in CAN_READ[visibility]), (visibility, role)


def test_held_posts_match_for_their_author_and_moderators_only(world):
    visibility, cast = world
    for role in ROLES:
        allowed = role in CAN_READ[visibility] and (role in CAN_MODERATE or role == "member")
        assert ("<mark>okapi</mark>" in found(client_as(cast[role]), "okapi")) == allowed, (visibility, role)


def test_hidden_posts_and_threads_match_for_moderators_only(world):
    visibility, cast = world
    for role in ROLES:
        client = client_as(cast[role])
        allowed = role in CAN_READ[visibility] and role in CAN_MODERATE
        assert ("<mark>narwhal</mark>" in found(client, "narwhal")) == allowed, (visibility, role)
        assert ("<mark>Pangolin</mark> rota" in found(client, "pangolin")) == allowed, (visibility, role)


def test_deleted_posts_match_for_nobody(world):
    visibility, cast = world
    for role in ROLES:
        page = found(client_as(cast[role]), "axolotl")
        assert "No discussions found" in page and "A reply about" not in page, (visibility, role)


def _newest_post_shown(visibility: str, role: str) -> str | None:
    """Which of the member's posts in the zebra thread is the newest `role` may see."""
    if role not in CAN_READ[visibility]:
        return None
    if role in CAN_MODERATE:
        return "A reply about the narwhal."
    return "A reply about the okapi." if role == "member" else "Zebra."


def test_what_a_member_wrote_follows_the_matrix(world):
    visibility, cast = world
    for role in ROLES:
        page = client_as(cast[role]).get(reverse("search"), {"author": cast["member"].username}).content.decode()
        shown = _newest_post_shown(visibility, role)
        assert ("Zebra crossing campaign" in page) == (shown is not None), (visibility, role)
        for snippet in ["Zebra.", "A reply about the okapi.", "A reply about the narwhal."]:
            assert (snippet in page) == (snippet == shown), (visibility, role, snippet)
        assert "axolotl" not in page, (visibility, role)
        allowed_hidden = role in CAN_READ[visibility] and role in CAN_MODERATE
        assert ("Pangolin rota" in page) == allowed_hidden, (visibility, role)


def test_similar_thread_suggestions_follow_the_matrix(world):
    visibility, cast = world
    for role in ROLES:
        response = client_as(cast[role]).get(reverse("similar_threads"), {"title": "Zebra campaign ideas"})
        assert response.status_code == 200
        shown = "Zebra crossing campaign" in response.content.decode()
        assert shown == (role in CAN_READ[visibility]), (visibility, role)


def test_hidden_threads_are_suggested_to_moderators_only(world):
    visibility, cast = world
    for role in ROLES:
        response = client_as(cast[role]).get(reverse("similar_threads"), {"title": "pangolin rota"})
        allowed = role in CAN_READ[visibility] and role in CAN_MODERATE
        assert ("Pangolin rota" in response.content.decode()) == allowed, (visibility, role)
