"""A report sent twice (a double click, a resend) is made once, and the second submit
lands where the first did (core.once)."""

import pytest
from django.urls import reverse

from core import once
from moderation.models import Flag
from tests.factories import form_token, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Flood warnings on social media")
    return make_reply(thread=thread, author=bob, body="Call me on 07700 900123")


def report_url(reply) -> str:
    return reverse("post_report", args=[reply.pk])


def test_a_report_sent_twice_is_made_once_and_both_land_on_the_post(reply, alice):
    client, data = client_as(alice), {"reason": "spam", "form_token": form_token(alice)}
    first = client.post(report_url(reply), data)
    second = client.post(report_url(reply), data, follow=True)
    assert Flag.objects.count() == 1
    assert second.redirect_chain[0][0] == first.url == reverse("post_redirect", kwargs={"pk": reply.pk})
    # The repeat is no second report: it does not say "already reported" either.
    assert "already reported" not in second.content.decode()


def test_a_report_without_a_token_says_why_and_keeps_the_note(reply, alice):
    data = {"reason": "other", "note": "It names a child"}
    response = client_as(alice).post(report_url(reply), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert once.MISSING in body and "It names a child" in body
    assert not Flag.objects.exists()


def test_a_report_with_another_member_s_token_is_refused(reply, alice, bob):
    response = client_as(alice).post(report_url(reply), {"reason": "spam", "form_token": form_token(bob)})
    assert once.MISSING in response.content.decode()
    assert not Flag.objects.exists()


def test_the_send_report_button_guards_against_double_clicks(reply, alice):
    page = client_as(alice).get(report_url(reply)).content.decode()
    assert 'data-prevent-double-click="true">Send report' in page
    assert 'name="form_token"' in page
