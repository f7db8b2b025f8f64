"""reply_count and thread_count after each change a post or thread goes through, checked
against the rows themselves (forums.counters keeps them)."""

import pytest

from communities.models import Community
from forums.models import Post, Thread
from forums.services import post_delete
from moderation import services, thread_actions
from tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db


def replies_in_rows(thread) -> int:
    return Post.objects.filter(thread=thread, parent__isnull=False, status=Post.Status.PUBLISHED).count()


def listed_in_rows(community) -> int:
    return Thread.objects.filter(community=community, is_hidden=False, is_unpublished=False).count()


def reply_count(thread) -> int:
    stored = Thread.objects.get(pk=thread.pk).reply_count
    assert stored == replies_in_rows(thread)
    return stored


def thread_count(community) -> int:
    stored = Community.objects.get(pk=community.pk).thread_count
    assert stored == listed_in_rows(community)
    return stored


@pytest.fixture
def thread(community, alice):
    return make_thread(community=community, author=alice, title="Flood warnings on social media")


def test_publishing_a_reply_counts_it(thread, bob):
    make_reply(thread=thread, author=bob)
    assert reply_count(thread) == 1


def test_starting_a_thread_counts_it_in_its_community(community, thread):
    assert thread_count(community) == 1


def test_a_held_reply_is_not_counted(premoderation, thread, bob):
    make_reply(thread=thread, author=bob)
    assert reply_count(thread) == 0


def test_approving_a_held_reply_counts_it(premoderation, thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    services.post_approve(post=reply, actor=alice)
    assert reply_count(thread) == 1


def test_a_held_opening_post_keeps_its_thread_uncounted(premoderation, community, bob):
    make_thread(community=community, author=bob)
    assert thread_count(community) == 0


def test_approving_a_held_opening_post_counts_its_thread(premoderation, community, bob, alice):
    held = make_thread(community=community, author=bob)
    services.post_approve(post=held.posts.get(), actor=alice)
    assert thread_count(community) == 1


def test_hiding_a_reply_uncounts_it(thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    make_reply(thread=thread, author=alice)
    services.post_hide(post=reply, actor=alice, reason="Off topic")
    assert reply_count(thread) == 1


def test_hiding_an_opening_post_uncounts_its_thread(community, thread, alice):
    services.post_hide(post=thread.posts.get(), actor=alice, reason="Personal data")
    assert thread_count(community) == 0


def test_restoring_a_hidden_reply_counts_it_again(thread, bob, alice):
    reply = make_reply(thread=thread, author=bob)
    services.post_hide(post=reply, actor=alice, reason="Off topic")
    services.post_restore(post=reply, actor=alice)
    assert reply_count(thread) == 1


def test_restoring_a_hidden_opening_post_counts_its_thread_again(community, thread, alice):
    opening = thread.posts.get()
    services.post_hide(post=opening, actor=alice, reason="Personal data")
    services.post_restore(post=opening, actor=alice)
    assert thread_count(community) == 1


def test_deleting_a_reply_uncounts_it(thread, bob):
    reply = make_reply(thread=thread, author=bob)
    post_delete(post=reply, by=bob)
    assert reply_count(thread) == 0


def test_deleting_a_hidden_reply_leaves_the_count_alone(thread, bob, alice):
    hidden = make_reply(thread=thread, author=bob)
    make_reply(thread=thread, author=alice)
    services.post_hide(post=hidden, actor=alice, reason="Off topic")
    post_delete(post=hidden, by=alice)
    assert reply_count(thread) == 1


def test_hiding_a_thread_uncounts_it(community, thread, alice):
    thread_actions.thread_hide(thread=thread, actor=alice, reason="Duplicate")
    assert thread_count(community) == 0


def test_restoring_a_hidden_thread_counts_it_again(community, thread, alice):
    thread_actions.thread_hide(thread=thread, actor=alice, reason="Duplicate")
    thread_actions.thread_restore(thread=thread, actor=alice)
    assert thread_count(community) == 1


def test_moving_a_thread_moves_its_count(community, other_community, thread, alice, charlie):
    thread_actions.thread_move(thread=thread, actor=alice, to_community=other_community)
    assert (thread_count(community), thread_count(other_community)) == (0, 1)


def test_moving_a_hidden_thread_counts_it_nowhere(community, other_community, thread, alice):
    thread_actions.thread_hide(thread=thread, actor=alice, reason="Duplicate")
    thread_actions.thread_move(thread=thread, actor=alice, to_community=other_community)
    assert (thread_count(community), thread_count(other_community)) == (0, 0)


def test_merging_counts_the_source_posts_as_replies_of_the_target(community, thread, alice, bob):
    make_reply(thread=thread, author=bob)
    source = make_thread(community=community, author=bob, title="Same question again")
    make_reply(thread=source, author=alice)
    thread_actions.thread_merge(source=source, target=thread, actor=alice)
    # The target's reply, the source's opening post and its reply.
    assert reply_count(thread) == 3


def test_merging_uncounts_the_source_thread(community, thread, alice, bob):
    source = make_thread(community=community, author=bob, title="Same question again")
    thread_actions.thread_merge(source=source, target=thread, actor=alice)
    assert thread_count(community) == 1


def test_merging_leaves_hidden_replies_of_the_source_uncounted(community, thread, alice, bob):
    source = make_thread(community=community, author=bob, title="Same question again")
    hidden = make_reply(thread=source, author=bob)
    services.post_hide(post=hidden, actor=alice, reason="Off topic")
    thread_actions.thread_merge(source=source, target=thread, actor=alice)
    assert reply_count(thread) == 1


def test_splitting_counts_the_branch_in_its_new_thread(thread, alice, bob):
    branch = make_reply(thread=thread, author=bob)
    make_reply(thread=thread, author=alice, parent=branch)
    new = thread_actions.thread_split(post=branch, actor=alice, title="Scheduling tools")
    assert reply_count(new) == 1


def test_splitting_uncounts_the_branch_from_the_old_thread(thread, alice, bob):
    make_reply(thread=thread, author=bob)
    branch = make_reply(thread=thread, author=bob)
    make_reply(thread=thread, author=alice, parent=branch)
    thread_actions.thread_split(post=branch, actor=alice, title="Scheduling tools")
    assert reply_count(thread) == 1


def test_splitting_counts_the_new_thread_in_the_community(community, thread, alice, bob):
    branch = make_reply(thread=thread, author=bob)
    thread_actions.thread_split(post=branch, actor=alice, title="Scheduling tools")
    assert thread_count(community) == 2


def test_a_count_that_drifted_comes_right_on_the_next_change(thread, bob):
    Thread.objects.filter(pk=thread.pk).update(reply_count=40)
    make_reply(thread=thread, author=bob)
    assert reply_count(thread) == 1
