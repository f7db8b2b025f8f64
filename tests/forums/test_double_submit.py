"""A new thread or a reply sent twice (a double click, a resend, a refresh after a
slow answer) is made once; the second submit lands on what the first made (core.once)."""

import re

import pytest
from django.urls import reverse

from core import once
from forums.models import Post, Thread
from tests.factories import form_token
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch):
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: None)


def reply_url(thread) -> str:
    return reverse("post_reply", kwargs={"pk": thread.posts.get(parent=None).pk})


def new_thread_url(community) -> str:
    return reverse("thread_new", kwargs={"slug": community.slug})


def test_a_reply_sent_twice_is_posted_once_and_both_land_on_it(thread, bob):
    client, data = client_as(bob), {"body": "Only once", "post": "1", "form_token": form_token(bob)}
    first = client.post(reply_url(thread), data)
    second = client.post(reply_url(thread), data)
    reply = Post.objects.get(thread=thread, body="Only once")
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reply.get_absolute_url()


def test_two_reply_forms_make_two_replies(thread, bob):
    client = client_as(bob)
    for _ in range(2):
        client.post(reply_url(thread), {"body": "Same words", "form_token": form_token(bob)})
    assert Post.objects.filter(thread=thread, body="Same words").count() == 2


def test_a_reply_without_a_token_says_why_and_keeps_the_text(thread, bob):
    response = client_as(bob).post(reply_url(thread), {"body": "My careful answer"})
    assert response.status_code == 200
    assert once.MISSING in response.text
    assert "My careful answer" in response.text
    assert not Post.objects.filter(body="My careful answer").exists()


def test_a_reply_with_another_member_s_token_is_refused(thread, alice, bob):
    response = client_as(bob).post(reply_url(thread), {"body": "Borrowed", "form_token": form_token(alice)})
    assert once.MISSING in response.text
    assert not Post.objects.filter(body="Borrowed").exists()


def test_a_reply_refused_for_its_token_can_be_sent_again_from_the_page(thread, bob):
    client = client_as(bob)
    page = client.post(reply_url(thread), {"body": "Try again"}).text
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post(reply_url(thread), {"body": "Try again", "form_token": token})
    assert response.url == Post.objects.get(body="Try again").get_absolute_url()


def test_the_reply_page_s_submit_button_guards_against_double_clicks(thread, bob):
    page = client_as(bob).get(reply_url(thread)).text
    assert 'data-module="govuk-button" data-prevent-double-click="true">Post reply' in page


def test_the_thread_page_s_reply_form_carries_a_token(thread, bob):
    page = client_as(bob).get(thread.get_absolute_url()).text
    assert 'name="form_token" value="' in page
    assert once.PLACEHOLDER not in page


def test_a_new_thread_sent_twice_is_started_once_and_both_land_on_it(community, bob):
    client = client_as(bob)
    data = {"title": "Only one thread", "kind": "question", "body": "Hello", "form_token": form_token(bob)}
    first = client.post(new_thread_url(community), data)
    second = client.post(new_thread_url(community), data)
    thread = Thread.objects.get(title="Only one thread")
    assert first.url == second.url == thread.get_absolute_url()


def test_a_new_thread_without_a_token_says_why_and_keeps_the_text(community, bob):
    data = {"title": "Kept title", "kind": "question", "body": "Kept body"}
    response = client_as(bob).post(new_thread_url(community), data)
    assert response.status_code == 200
    assert once.MISSING in response.text
    assert "Kept title" in response.text and "Kept body" in response.text
    assert not Thread.objects.exists()


def test_a_new_thread_with_another_member_s_token_is_refused(community, alice, bob):
    data = {"title": "Borrowed", "kind": "question", "body": "B", "form_token": form_token(alice)}
    response = client_as(bob).post(new_thread_url(community), data)
    assert once.MISSING in response.text
    assert not Thread.objects.exists()


def test_a_held_thread_sent_twice_lands_both_times_on_the_author_s_held_posts(community, bob, settings):
    settings.MODERATION_DEFAULT_HOLD_FIRST_POSTS = 5
    client = client_as(bob)
    data = {"title": "Held once", "kind": "question", "body": "B", "form_token": form_token(bob)}
    first, second = (client.post(new_thread_url(community), data) for _ in range(2))
    assert Thread.objects.filter(title="Held once").count() == 1
    assert first.url == second.url == reverse("my_moderated_posts")


def test_a_repeat_lands_on_the_thread_even_when_the_first_reached_a_limit(community, bob, monkeypatch):
    client = client_as(bob)
    data = {"title": "Before the limit", "kind": "question", "body": "B", "form_token": form_token(bob)}
    first = client.post(new_thread_url(community), data)
    monkeypatch.setattr("forums.services.posting_blocked_reason", lambda **kwargs: "You are posting too quickly.")
    second = client.post(new_thread_url(community), data)
    assert second.status_code == 302 and second.url == first.url


def test_the_new_thread_post_button_guards_against_double_clicks(community, bob):
    page = client_as(bob).get(new_thread_url(community)).text
    assert 'data-prevent-double-click="true">Post</button>' in page
