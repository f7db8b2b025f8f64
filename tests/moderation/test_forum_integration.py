"""Moderation's hooks in the forums pages and services."""

import pytest
from django.urls import reverse

from forums.models import Post
from moderation import services
from moderation.models import ModerationAction
from tests.factories import form_token, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(community, alice):
    return make_thread(community=community, author=alice, title="Pre-election period comments")


def test_pin_and_lock_are_logged(thread, alice):
    client = client_as(alice)
    client.post(reverse("thread_pin", args=[thread.pk]))
    client.post(reverse("thread_lock", args=[thread.pk]), {"reason": "Answered in full"})
    entries = {entry.action: entry for entry in ModerationAction.objects.all()}
    assert set(entries) == {"thread_pin", "thread_lock"}
    assert (entries["thread_lock"].from_state, entries["thread_lock"].to_state) == ("open", "locked")
    assert entries["thread_lock"].reason == "Answered in full"


def test_members_see_a_report_link_on_others_posts(thread, bob):
    body = client_as(bob).get(thread.get_absolute_url()).content.decode()
    assert reverse("post_report", args=[thread.posts.get().pk]) in body


def test_facilitators_see_split_and_thread_moderation_links(thread, alice, bob):
    reply = make_reply(thread=thread, author=bob)
    body = client_as(alice).get(thread.get_absolute_url()).content.decode()
    assert reverse("post_split", args=[reply.pk]) in body
    assert reverse("thread_moderate", args=[thread.pk]) in body


def test_the_author_sees_their_held_post_awaiting_approval(premoderation, thread, bob):
    make_reply(thread=thread, author=bob, body="My first reply")
    body = client_as(bob).get(thread.get_absolute_url()).content.decode()
    assert "My first reply" in body and "Awaiting approval" in body


def test_other_members_do_not_see_a_held_post(premoderation, thread, bob, charlie, community):
    from tests.factories import MembershipFactory

    MembershipFactory(community=community, user=charlie)
    make_reply(thread=thread, author=bob, body="My first reply")
    assert "My first reply" not in client_as(charlie).get(thread.get_absolute_url()).content.decode()


def test_facilitators_see_the_hidden_reason_on_the_thread(thread, alice, bob):
    reply = make_reply(thread=thread, author=bob)
    services.post_hide(post=reply, actor=alice, reason="Shares a phone number")
    assert Post.objects.get(pk=reply.pk).status == Post.Status.HIDDEN
    assert "Reason: Shares a phone number" in client_as(alice).get(thread.get_absolute_url()).content.decode()


def test_facilitators_restore_a_hidden_post_from_the_thread(thread, alice, bob):
    reply = make_reply(thread=thread, author=bob)
    services.post_hide(post=reply, actor=alice, reason="Mistake")
    client = client_as(alice)
    assert reverse("post_restore", args=[reply.pk]) in client.get(thread.get_absolute_url()).content.decode()
    assert client.post(reverse("post_restore", args=[reply.pk])).status_code == 302
    assert Post.objects.get(pk=reply.pk).status == Post.Status.PUBLISHED


def test_members_cannot_restore(thread, alice, bob):
    reply = make_reply(thread=thread, author=alice)
    services.post_hide(post=reply, actor=alice, reason="Mistake")
    assert client_as(bob).post(reverse("post_restore", args=[reply.pk])).status_code == 404
    assert client_as(alice).get(reverse("post_restore", args=[reply.pk])).status_code == 405
    assert Post.objects.get(pk=reply.pk).status == Post.Status.HIDDEN


def test_a_held_new_thread_takes_its_author_to_their_held_posts(premoderation, community, bob):
    client = client_as(bob)
    data = {"title": "Scheduling tools for a small team", "body": "Which do you use?", "kind": "question"}
    data["form_token"] = form_token(bob)
    response = client.post(reverse("thread_new", args=[community.slug]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my_moderated_posts")
    body = response.content.decode()
    assert "Scheduling tools for a small team" in body and "Awaiting approval" in body
    assert "Your thread is waiting for a facilitator to approve it." in body


def test_community_home_links_facilitators_to_moderation(community, alice):
    body = client_as(alice).get(reverse("community_home", args=[community.slug])).content.decode()
    assert reverse("community_review", args=[community.slug]) in body
    assert reverse("community_log", args=[community.slug]) in body
