"""Suspended members cannot sign in, and a suspension ends the sessions they have."""

import pytest
from django.urls import reverse

from members.models import User
from members.services import member_reinstate, member_suspend
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_suspended_member_cannot_sign_in(client, bob, dora):
    member_suspend(member=bob, by=dora)
    response = client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response.url == reverse("account_inactive")


def test_suspension_ends_an_existing_session(client, bob, dora):
    client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD})
    assert client.get(reverse("profile_settings")).status_code == 200
    member_suspend(member=bob, by=dora)
    response = client.get(reverse("profile_settings"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_status_set_to_suspended_in_the_admin_also_ends_the_session(client, bob):
    client.force_login(bob)
    User.objects.filter(pk=bob.pk).update(status=User.Status.SUSPENDED)
    assert client.get(reverse("profile_settings")).status_code == 302


def test_reinstated_member_can_sign_in_again(client, bob, dora):
    member_suspend(member=bob, by=dora)
    member_reinstate(member=bob, by=dora)
    client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD})
    assert int(client.session["_auth_user_id"]) == bob.pk


def test_site_admin_suspends_from_the_admin(client, dora, bob):
    client.force_login(dora)
    response = client.post(
        reverse("admin:members_user_changelist"), {"action": "suspend", "_selected_action": [bob.pk]}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.status == User.Status.SUSPENDED
