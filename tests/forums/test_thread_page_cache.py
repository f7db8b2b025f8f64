"""A thread page is kept whole for everyone who would see the same
(communities.page_cache.cached_page): each reader's forms post with their own CSRF
token, and the header, messages and marks are theirs."""

import re

import pytest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from communities.page_cache import CSRF_PLACEHOLDER, cached_page
from core import once
from forums import views
from forums.models import Post
from tests.factories import MembershipFactory, UserFactory, make_reply
from tests.matrix import client_as
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_reader_of_a_kept_page_replies_with_their_own_token(community, thread, bob):
    erin = UserFactory(username="erin")
    MembershipFactory(community=community, user=erin)
    frank = UserFactory(username="frank")
    MembershipFactory(community=community, user=frank)
    client_as(erin).get(thread.get_absolute_url())  # kept for members who see what erin sees
    client = csrf_client(frank)
    page = client.get(thread.get_absolute_url()).content.decode()
    tokens = TOKEN.findall(page)
    assert tokens and CSRF_PLACEHOLDER not in page
    reply_url = reverse("post_reply", kwargs={"pk": thread.posts.get(parent=None).pk})
    form = {"body": "We answer within the hour.", "post": "1", "csrfmiddlewaretoken": tokens[0]}
    response = client.post(reply_url, {**form, "form_token": FORM_TOKEN.search(page).group(1)})
    assert response.status_code == 302
    assert Post.objects.filter(thread=thread, author=frank, body="We answer within the hour.").exists()


def test_each_reading_of_a_kept_page_has_a_fresh_form_token(community, thread, bob):
    client = client_as(bob)
    first = client.get(thread.get_absolute_url()).content.decode()
    second = client.get(thread.get_absolute_url()).content.decode()
    assert once.PLACEHOLDER not in second
    # Two tabs of one kept page are two forms: a reply from each makes two replies.
    assert FORM_TOKEN.search(first).group(1) != FORM_TOKEN.search(second).group(1)


def test_a_visitor_s_kept_page_has_no_forms_and_sets_no_csrf_cookie(client, thread, settings):
    client.get(thread.get_absolute_url())
    response = client.get(thread.get_absolute_url())
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert settings.CSRF_COOKIE_NAME not in response.cookies


def test_the_header_shows_a_notification_that_arrived_since_the_page_was_kept(thread, bob):
    client = client_as(bob)
    assert "app-unread-count" not in client.get(thread.get_absolute_url()).content.decode()
    NotificationFactory.create_batch(2, recipient=bob)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert '<span class="app-unread-count">2<span class="govuk-visually-hidden"> unread</span></span>' in page


def test_a_message_is_shown_once_and_the_page_then_shows_the_change(thread, bob):
    client = client_as(bob)
    client.get(thread.get_absolute_url())
    client.post(reverse("thread_subscription", kwargs={"pk": thread.pk}), {"level": "watching"})
    first = client.get(thread.get_absolute_url()).content.decode()
    second = client.get(thread.get_absolute_url()).content.decode()
    assert "govuk-notification-banner" in first
    assert "govuk-notification-banner" not in second
    assert "You are watching this thread." in second


def test_a_new_reply_shows_on_a_kept_page(thread, alice, bob):
    client_as(bob).get(thread.get_absolute_url())
    make_reply(thread=thread, author=alice, body="Posted after his visit")
    assert "Posted after his visit" in client_as(bob).get(thread.get_absolute_url()).content.decode()


def test_a_page_that_asks_for_the_real_token_is_not_kept(bob):
    rendered = []

    def render(extra: dict) -> str:
        rendered.append(extra)
        return f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'

    for _ in range(2):
        request = RequestFactory().get("/somewhere/")
        request.user, request.session, request._messages = bob, {}, []
        response = cached_page(request, "test-page", render, params=[], version="1", viewer="bob")
        assert CSRF_PLACEHOLDER not in response.content.decode()
    assert len(rendered) == 2


def test_a_post_that_quotes_a_token_field_is_shown_as_written_and_the_page_kept(thread, bob, monkeypatch):
    make_reply(thread=thread, author=bob, body='`<input name="csrfmiddlewaretoken" value="x">`')
    renders = []
    monkeypatch.setattr(
        views, "render_to_string", lambda *args, **kwargs: renders.append(1) or render_to_string(*args, **kwargs)
    )
    client = client_as(bob)
    pages = [client.get(thread.get_absolute_url()).content.decode() for _ in range(2)]
    assert '&lt;input name="csrfmiddlewaretoken" value="x"&gt;' in pages[1]
    assert len(renders) == 2  # the body and the page, once: the second visit was served as kept
