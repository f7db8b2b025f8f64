"""Sessions and who is signed in, as every request loads them (core/sessions.py,
members/backends.py)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.matrix import client_as
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def signed_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def test_a_signed_in_member_stays_signed_in_from_page_to_page(bob):
    client = client_as(bob)
    assert signed_in_user(client) == bob
    assert signed_in_user(client) == bob


def test_an_expired_session_signs_the_member_out(bob):
    client = client_as(bob)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now() - timedelta(1))
    assert not signed_in_user(client).is_authenticated


def test_an_unknown_session_cookie_is_a_visitor_and_gets_a_new_key_when_signing_in(client, bob):
    client.cookies[settings.SESSION_COOKIE_NAME] = "madeup" * 6
    assert not signed_in_user(client).is_authenticated
    client.force_login(bob)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "madeup" * 6
    assert signed_in_user(client) == bob


def test_a_session_whose_member_was_deleted_is_a_visitor(bob):
    client = client_as(bob)
    bob.delete()
    assert not signed_in_user(client).is_authenticated


def test_the_member_comes_with_their_unread_notification_tally(bob):
    NotificationFactory.create_batch(2, recipient=bob)
    assert signed_in_user(client_as(bob)).unread_notification_tally == 2
