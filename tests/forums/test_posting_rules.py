"""thread_start and post_reply enforce the posting rules themselves, whoever calls them
(the web form, the email bridge): each refusal is a PostingRefused with its reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community
from forums.models import Post, Thread
from forums.services import PostingRefused, post_reply, thread_start
from moderation.member_actions import member_ban
from moderation.models import MemberSanction
from tests.factories import make_reply

pytestmark = pytest.mark.django_db
R = PostingRefused.Reason


def refusal_of(action) -> PostingRefused:
    with pytest.raises(PostingRefused) as refused:
        action()
    return refused.value


def start(community, author, title="A question"):
    return lambda: thread_start(community=community, author=author, title=title, body="Any tips?")


def reply(thread, author, parent=None):
    return lambda: post_reply(thread=thread, author=author, body="We do this.", parent=parent)


def mute(community, user):
    until = timezone.now() + timedelta(days=1)
    MemberSanction.objects.create(
        community=community, user=user, kind=MemberSanction.Kind.MUTE, message="Cooling off", until=until
    )


# Starting a thread -------------------------------------------------------------------


def test_a_member_may_start_a_thread(community, bob):
    thread = thread_start(community=community, author=bob, title="A question", body="Any tips?")
    assert thread.posts.get().status == Post.Status.PUBLISHED


def test_an_outsider_cannot_start_a_thread_in_a_private_community(private_community, charlie):
    assert refusal_of(start(private_community, charlie)).reason == R.CANNOT_SEE


def test_a_non_member_cannot_start_a_thread(community, charlie):
    refusal = refusal_of(start(community, charlie))
    assert (refusal.reason, refusal.message) == (R.NOT_MEMBER, "Only members of this community can start threads.")


def test_nobody_starts_a_thread_in_an_archived_community(community, bob):
    Community.objects.filter(pk=community.pk).update(status=Community.Status.ARCHIVED)
    community.refresh_from_db()
    assert refusal_of(start(community, bob)).reason == R.ARCHIVED


def test_a_muted_member_cannot_start_a_thread(community, bob, alice):
    mute(community, bob)
    refusal = refusal_of(start(community, bob))
    assert refusal.reason == R.BLOCKED
    assert refusal.message.startswith("A facilitator has stopped you posting in Social media until ")


def test_a_new_member_past_the_thread_limit_cannot_start_another(community, bob):
    for number in range(3):
        thread_start(community=community, author=bob, title=f"Question {number}", body="Any tips?")
    refusal = refusal_of(start(community, bob, title="Question 4"))
    assert refusal.reason == R.BLOCKED and refusal.message.startswith("New members can start 3 threads an hour.")


def test_a_refused_thread_is_not_made(community, charlie):
    refusal_of(start(community, charlie))
    assert not Thread.objects.exists()


# Replying ----------------------------------------------------------------------------


def test_a_member_may_reply(thread, alice):
    assert post_reply(thread=thread, author=alice, body="We do this.").status == Post.Status.PUBLISHED


def test_an_outsider_cannot_reply_in_a_private_community(private_thread, charlie):
    assert refusal_of(reply(private_thread, charlie)).reason == R.CANNOT_SEE


def test_a_non_member_cannot_reply(thread, charlie):
    assert refusal_of(reply(thread, charlie)).reason == R.NOT_MEMBER


def test_a_banned_member_cannot_reply(community, thread, bob, alice):
    member_ban(community=community, user=bob, actor=alice, reason="Abusive")
    assert refusal_of(reply(thread, bob)).reason == R.NOT_MEMBER


def test_a_member_cannot_reply_in_a_locked_thread(thread, bob):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True, lock_reason="Answered in full")
    thread.refresh_from_db()
    refusal = refusal_of(reply(thread, bob))
    assert (refusal.reason, refusal.message) == (R.LOCKED, "This thread is locked: Answered in full")


def test_a_facilitator_may_reply_in_a_locked_thread(thread, alice):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True, lock_reason="Answered in full")
    thread.refresh_from_db()
    assert post_reply(thread=thread, author=alice, body="A last word.").status == Post.Status.PUBLISHED


def test_nobody_replies_in_an_archived_community(community, thread, bob):
    Community.objects.filter(pk=community.pk).update(status=Community.Status.ARCHIVED)
    thread.refresh_from_db()
    assert refusal_of(reply(thread, bob)).reason == R.ARCHIVED


def test_a_reply_to_a_hidden_post_is_refused(thread, alice, bob):
    hidden = make_reply(thread=thread, author=alice)
    Post.objects.filter(pk=hidden.pk).update(status=Post.Status.HIDDEN)
    hidden.refresh_from_db()
    assert refusal_of(reply(thread, bob, parent=hidden)).reason == R.PARENT_UNAVAILABLE


def test_a_muted_member_cannot_reply(community, thread, bob, alice):
    mute(community, bob)
    assert refusal_of(reply(thread, bob)).reason == R.BLOCKED


def test_a_new_member_past_the_reply_limit_cannot_reply_again(thread, bob):
    for _ in range(10):
        make_reply(thread=thread, author=bob)
    refusal = refusal_of(reply(thread, bob))
    assert refusal.reason == R.BLOCKED and refusal.message.startswith("New members can post 10 replies an hour.")


def test_a_refused_reply_is_not_made(thread, charlie):
    refusal_of(reply(thread, charlie))
    assert thread.posts.count() == 1


def test_replying_to_a_thread_whose_opening_post_was_deleted_is_allowed(thread, bob, alice):
    Post.objects.filter(thread=thread, parent__isnull=True).update(status=Post.Status.DELETED)
    assert post_reply(thread=thread, author=alice, body="Still here.").status == Post.Status.PUBLISHED
