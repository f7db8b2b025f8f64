"""A thread page's posts (forums/thread_posts.py): nobody ever sees another member's
actions, marks or held posts, whoever asked for the page before them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from forums.models import Post
from forums.services import helpful_mark
from tests.factories import MembershipFactory, make_reply, make_thread
from tests.forums.factories import bulk_replies

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(community):
    return MembershipFactory(community=community).user


@pytest.fixture
def discussion(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Election comments", kind="discussion")
    reply = make_reply(thread=thread, author=bob, body="We hide them and reply by message.")
    return thread, reply


def page_for(user, url) -> str:
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_a_helpful_mark_shows_only_to_the_member_who_made_it(discussion, reader, charlie, community):
    thread, reply = discussion
    other = MembershipFactory(community=community).user
    page_for(other, thread.get_absolute_url())  # the shared copy, made first
    helpful_mark(post=reply, user=reader)
    undo = reverse("post_unhelpful", args=[reply.pk])
    assert undo in page_for(reader, thread.get_absolute_url())
    assert undo not in page_for(other, thread.get_absolute_url())


def test_only_the_author_sees_edit_on_their_post_after_a_reader_filled_the_cache(discussion, bob, reader):
    thread, reply = discussion
    edit = reverse("post_edit", args=[reply.pk])
    assert edit not in page_for(reader, thread.get_absolute_url())
    assert edit in page_for(bob, thread.get_absolute_url())
    assert edit not in page_for(reader, thread.get_absolute_url())


def test_a_held_post_shows_to_its_author_but_not_to_a_reader_who_came_first(discussion, bob, reader):
    thread, _reply = discussion
    held = make_reply(thread=thread, author=bob, body="Still waiting for a facilitator.")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    assert "Still waiting" not in page_for(reader, thread.get_absolute_url())
    assert "Still waiting" in page_for(bob, thread.get_absolute_url())
    assert "Still waiting" not in page_for(reader, thread.get_absolute_url())


def test_post_action_buttons_submit_the_page_form_and_its_csrf_token(discussion, reader):
    thread, reply = discussion
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    body = client.get(thread.get_absolute_url()).content.decode()
    form = re.search(r'<form id="post-actions" method="post">(.*?)</form>', body, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1)).group(1)
    action = reverse("post_helpful", args=[reply.pk])
    assert f'form="post-actions" formaction="{action}"' in body
    response = client.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert reply.helpful_marks.filter(user=reader).exists()


def test_the_post_html_holds_no_csrf_token(discussion, reader):
    thread, _reply = discussion
    body = page_for(reader, thread.get_absolute_url())
    posts_start = body.index('<article class="app-post')
    posts_end = body.index('id="reply"')
    assert "csrfmiddlewaretoken" not in body[posts_start:posts_end]


@pytest.fixture
def long_thread_with_a_held_reply(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Long thread")
    bulk_replies(thread=thread, author=alice, count=20)
    held = make_reply(thread=thread, author=bob, body="Bob's held reply")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    return thread


def test_the_author_of_a_held_reply_gets_the_page_links_a_reader_did_not(long_thread_with_a_held_reply, bob, reader):
    url = long_thread_with_a_held_reply.get_absolute_url()
    assert "page=2" not in page_for(reader, url)
    assert "page=2" in page_for(bob, url)


def test_a_reader_is_not_shown_a_page_that_only_the_author_of_a_held_reply_has(
    long_thread_with_a_held_reply, bob, reader
):
    url = long_thread_with_a_held_reply.get_absolute_url()
    assert "page=2" in page_for(bob, url)
    assert "page=2" not in page_for(reader, url)
