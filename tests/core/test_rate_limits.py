"""allauth's rate limits on sign-in, sign-up and password reset, counted in the shared
cache (the database cache unless REDIS_URL is set), so every web process sees them."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY_FAILED = "Too many failed login attempts. Try again later."


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cache_entries")
        return cursor.fetchone()[0]


def test_rate_limits_use_the_shared_database_cache(client, bob):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    before = cache_rows()
    client.post(reverse("account_login"), {"login": bob.email, "password": "wrong-password"})
    assert cache_rows() > before


def test_five_failed_sign_ins_block_the_account_even_with_the_right_password(client, bob):
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": bob.email, "password": "wrong-password"})
        assert TOO_MANY_FAILED not in response.content.decode()

    response = client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD})

    body = response.content.decode()
    assert response.status_code == 200
    assert TOO_MANY_FAILED in body
    assert "There is a problem" in body  # shown in the error summary
    assert "_auth_user_id" not in client.session


def test_sign_in_is_limited_per_address_across_clients(client, bob):
    # Another browser (another session) cannot reset the count: it is in the shared cache.
    from django.test import Client

    for _ in range(5):
        Client().post(reverse("account_login"), {"login": bob.email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": bob.email, "password": TEST_PASSWORD})
    assert TOO_MANY_FAILED in response.content.decode()


def test_too_many_sign_in_attempts_from_one_address_get_429(client):
    statuses = [
        client.post(reverse("account_login"), {"login": f"person{n}@example.gov.uk", "password": "x"}).status_code
        for n in range(31)
    ]
    assert set(statuses[:30]) == {200}
    assert statuses[30] == 429


def test_too_many_sign_ups_from_one_address_get_429_with_our_page(client):
    statuses = [client.post(reverse("account_signup"), {}).status_code for _ in range(21)]
    assert set(statuses[:20]) == {200}
    assert statuses[20] == 429
    response = client.post(reverse("account_signup"), {})
    body = response.content.decode()
    assert "Too many attempts" in body
    assert 'href="#main-content"' in body  # our layout, not allauth's bare page


def test_password_reset_emails_are_limited_per_address(client, bob):
    statuses = [client.post(reverse("account_reset_password"), {"email": bob.email}).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert len(mail.outbox) == 5


def test_admin_sign_in_goes_through_allauth(client, dora):
    response = client.post("/admin/login/", {"username": dora.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
