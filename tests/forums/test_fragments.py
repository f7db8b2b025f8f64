"""Cached fragments of thread lists and posts never show anything stale or someone
else's: their keys hold content versions that PostgreSQL moves on (forums/migrations/0003)."""

import pytest
from django.urls import reverse

from forums.services import post_edit
from moderation.services import post_hide
from tests.factories import MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def page(client, user, url):
    client.force_login(user)
    return client.get(url).content.decode()


def test_thread_list_shows_a_new_reply_count_after_a_reply(client, community, alice, bob):
    thread = make_thread(community=community, author=alice)
    make_reply(thread=thread, author=bob)
    assert "1 reply" in page(client, bob, community.get_absolute_url())
    make_reply(thread=thread, author=alice)
    assert "2 replies" in page(client, bob, community.get_absolute_url())


def test_thread_list_shows_an_author_s_new_name(client, community, alice, bob):
    make_thread(community=community, author=alice, title="Pre-election guidance")
    assert f"by {alice.name}" in page(client, bob, community.get_absolute_url())
    alice.display_name = "Alice Renamed"
    alice.save()
    assert "by Alice Renamed" in page(client, bob, community.get_absolute_url())


def test_thread_page_shows_an_edited_post_not_the_cached_one(client, community, alice, bob):
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob, body="First thoughts on the press release.")
    assert "First thoughts" in page(client, alice, thread.get_absolute_url())
    post_edit(post=reply, editor=bob, body="Second thoughts on the press release.")
    body = page(client, alice, thread.get_absolute_url())
    assert "Second thoughts" in body
    assert "First thoughts" not in body


def test_a_member_who_cannot_see_revisions_sees_an_edit_at_once(client, community, alice, bob):
    reader = MembershipFactory(community=community).user
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob, body="First thoughts on the press release.")
    assert "First thoughts" in page(client, reader, thread.get_absolute_url())
    post_edit(post=reply, editor=bob, body="Second thoughts on the press release.")
    assert "Second thoughts" in page(client, reader, thread.get_absolute_url())


def test_a_post_cached_for_a_member_shows_no_profile_link_to_a_visitor(client, community, alice, bob):
    thread = make_thread(community=community, author=alice)
    profile = reverse("member_profile", args=[alice.username])
    assert profile in page(client, bob, thread.get_absolute_url())
    client.logout()
    assert profile not in client.get(thread.get_absolute_url()).content.decode()


def test_post_actions_are_the_viewer_s_own(client, community, alice, bob):
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob)
    edit = reverse("post_edit", args=[reply.pk])
    assert edit in page(client, bob, thread.get_absolute_url())
    client.logout()
    assert edit not in client.get(thread.get_absolute_url()).content.decode()


def test_post_forms_carry_the_viewer_s_csrf_token(community, alice, bob):
    from django.test import Client

    thread = make_thread(community=community, author=alice)
    make_reply(thread=thread, author=bob)
    tokens = []
    for user in (alice, bob):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        body = client.get(thread.get_absolute_url()).content.decode()
        actions = body.split('class="app-post-actions"', 1)[1]
        token = actions.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        tokens.append((client, token))
    # The token in each member's post actions works with their own session: no cached form carried another's.
    for client, token in tokens:
        response = client.post(
            reverse("thread_subscription", args=[thread.pk]), {"level": "watching", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302


def test_a_visitor_sees_a_new_reply_at_once(client, community, alice, bob):
    thread = make_thread(community=community, author=alice)
    make_reply(thread=thread, author=bob, body="The first answer.")
    assert "The first answer." in client.get(thread.get_absolute_url()).content.decode()
    make_reply(thread=thread, author=alice, body="A second answer.")
    assert "A second answer." in client.get(thread.get_absolute_url()).content.decode()


def test_a_hidden_post_leaves_a_visitor_s_page_at_once(client, community, alice, bob):
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob, body="Something libellous.")
    assert "Something libellous." in client.get(thread.get_absolute_url()).content.decode()
    post_hide(post=reply, actor=alice, reason="Libel")
    assert "Something libellous." not in client.get(thread.get_absolute_url()).content.decode()


def test_a_member_never_gets_the_page_kept_for_visitors(client, community, alice, bob):
    thread = make_thread(community=community, author=alice)
    client.get(thread.get_absolute_url())
    client.force_login(bob)
    body = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("post_reply", args=[thread.posts.get().pk]) in body
    assert "Sign in</a> to reply" not in body


def test_a_visitor_sees_a_new_thread_at_once_on_a_cached_community_page(client, community, alice):
    make_thread(community=community, author=alice, title="First question")
    assert "First question" in client.get(community.get_absolute_url()).content.decode()
    make_thread(community=community, author=alice, title="Second question")
    assert "Second question" in client.get(community.get_absolute_url()).content.decode()


def test_a_community_page_kept_for_visitors_is_not_shown_to_a_member(client, community, bob):
    assert "to join this community" in client.get(community.get_absolute_url()).content.decode()
    body = page(client, bob, community.get_absolute_url())
    assert "to join this community" not in body
    assert "You are a member" in body
