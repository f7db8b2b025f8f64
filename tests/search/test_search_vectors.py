"""Posts' search vectors, kept by PostgreSQL (forums migration 0006): each holds its
thread's title and its own body, whoever writes the rows and however."""

import pytest

from forums.models import Post
from tests.factories import CommunityFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def matching(word: str) -> set[int]:
    return set(Post.objects.filter(search_vector=word).values_list("pk", flat=True))


@pytest.fixture
def thread(bob):
    return make_thread(community=CommunityFactory(), author=bob, title="Purdah guidance", body="Anything new?")


def test_every_post_matches_its_thread_s_title_and_its_own_body(thread, alice):
    reply = make_reply(thread=thread, author=alice, body="Nothing from the Cabinet Office.")
    opening = thread.posts.get(parent=None)
    assert matching("purdah") == {opening.pk, reply.pk}
    assert matching("cabinet") == {reply.pk}


def test_renaming_a_thread_renames_it_in_its_posts_vectors(thread, alice):
    reply = make_reply(thread=thread, author=alice, body="Nothing yet.")
    thread.title = "Pre-election period"
    thread.save()
    assert matching("purdah") == set()
    assert reply.pk in matching("pre-election")


def test_editing_a_post_replaces_its_words(thread, alice):
    reply = make_reply(thread=thread, author=alice, body="Nothing yet.")
    reply.body = "The Cabinet Office wrote today."
    reply.save()
    assert matching("cabinet") == {reply.pk}


def test_moving_a_post_gives_it_the_new_thread_s_title(thread, alice, bob):
    reply = make_reply(thread=thread, author=alice, body="Nothing yet.")
    other = make_thread(community=thread.community, author=bob, title="Flood warnings", body="Sirens?")
    Post.objects.filter(pk=reply.pk).update(thread=other)
    assert reply.pk not in matching("purdah")
    assert reply.pk in matching("flood")


def test_a_vector_written_from_outside_is_worked_out_again(thread):
    opening = thread.posts.get(parent=None)
    Post.objects.filter(pk=opening.pk).update(search_vector=None)
    assert matching("purdah") == {opening.pk}


def test_a_rename_moves_the_content_versions_on_once_however_many_posts(thread, alice):
    for _ in range(3):
        make_reply(thread=thread, author=alice, body="Nothing yet.")
    thread.refresh_from_db()
    community = thread.community
    community.refresh_from_db()
    before = (thread.content_version, community.content_version)
    thread.title = "Pre-election period"
    thread.save()
    thread.refresh_from_db()
    community.refresh_from_db()
    assert (thread.content_version, community.content_version) == (before[0] + 1, before[1] + 1)
