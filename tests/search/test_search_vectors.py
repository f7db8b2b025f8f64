"""Posts' search vectors, kept by PostgreSQL (forums migration 0006): each holds its
thread's title and its own body, whoever writes the rows and however."""

import pytest

from forums.models import Post
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def matching(word: str) -> set[int]:
    return set(Post.objects.filter(search_vector=word).values_list("pk", flat=True))


@pytest.fixture
def thread(bob, alice):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    MembershipFactory(community=community, user=alice)
    return make_thread(community=community, author=bob, title="Purdah guidance", body="Anything new?")


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


# The migration itself: filling the vectors of posts written before it, and undoing it.

BEFORE_TITLES = ("forums", "0005_search_indexes_without_pending_list")
WITH_TITLES = ("forums", "0006_post_search_vector_holds_title")


def migrate_forums(to: tuple[str, str] | None = None) -> None:
    """To the migration `to`, or (without it) to the latest of every app."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([to] if to else executor.loader.graph.leaf_nodes())


# Going back to 0005 undoes every later forums migration too: a later one that cannot
# be undone will fail this test, which should then start from that one instead.
@pytest.mark.django_db(transaction=True)
def test_migration_fills_existing_posts_and_can_be_undone(thread, alice):
    reply = make_reply(thread=thread, author=alice, body="Nothing from the Cabinet Office.")
    opening = thread.posts.get(parent=None)
    try:
        migrate_forums(BEFORE_TITLES)
        # Back as it was: the vector is the body alone, worked out by PostgreSQL.
        assert matching("purdah") == set()
        assert matching("cabinet") == {reply.pk}
        Post.objects.filter(pk=opening.pk).update(body="Anything new on purdah?")
        assert matching("purdah") == {opening.pk}

        migrate_forums(WITH_TITLES)
        # Posts written before it now hold their thread's title, and the triggers are back.
        assert matching("purdah") == {opening.pk, reply.pk}
        assert matching("cabinet") == {reply.pk}
        # The model writes columns later migrations add (Post.archived_author_name).
        migrate_forums()
        later = make_reply(thread=thread, author=alice, body="Still nothing.")
        assert later.pk in matching("purdah")
    finally:
        migrate_forums()
