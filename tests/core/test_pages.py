import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize("name", ["home", "accessibility", "privacy", "terms"])
def test_public_pages_render_for_anonymous_visitor(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'href="#main-content"' in response.content  # skip link
    assert b"Accessibility statement" in response.content  # footer


def test_privacy_notice_says_the_moderation_log_is_kept_with_deleted_member(client):
    body = client.get(reverse("privacy")).content.decode()
    assert "The moderation log" in body
    assert "We keep every entry when you delete your account" in body
    assert "replaced with “deleted member”" in body


def test_home_offers_sign_in_to_visitor(client):
    response = client.get("/")
    assert b"Create an account" in response.content
    assert reverse("account_login").encode() in response.content


def test_home_greets_signed_in_member_by_name(client, bob):
    client.force_login(bob)
    response = client.get("/")
    assert "Welcome back, Bob Member" in response.content.decode()
    assert reverse("account_logout").encode() in response.content


def test_pages_send_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client):
    body = client.get(reverse("account_signup")).content.decode()
    assert "<script>" not in body
    assert "style=" not in body
    assert "<style" not in body


def test_unknown_page_gets_our_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert b'href="#main-content"' in response.content


def test_server_error_page_renders_without_a_request():
    # Django renders 500.html with no context processors: it must not depend on them.
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
