"""The DEBUG-only page listing the emails the development backend saved."""

import os

import pytest
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_folder(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def send(subject: str, body: str, to: str = "priya.shah@example.gov.uk") -> None:
    connection = get_connection("core.mail.ConsoleAndFileBackend")
    EmailMessage(subject, body, "CommsNet <noreply@commsnet.localhost>", [to], connection=connection).send()


def saved_files(folder) -> list:
    return sorted(folder.iterdir())


def test_development_backend_prints_and_saves_each_email(email_folder, capsys):
    send("Confirm your email address", "Follow this link.")
    assert "Confirm your email address" in capsys.readouterr().out
    assert len(saved_files(email_folder)) == 1


def test_list_shows_saved_emails_newest_first(client, email_folder):
    send("First: confirm your email address", "One")
    older = saved_files(email_folder)[0]
    os.utime(older, (1_700_000_000, 1_700_000_000))
    send("Second: reset your password", "Two")

    response = client.get(reverse("dev_emails"))

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Second: reset your password") < body.index("First: confirm your email address")
    assert "priya.shah@example.gov.uk" in body


def test_list_says_when_no_email_has_been_sent(client, email_folder):
    response = client.get(reverse("dev_emails"))
    assert "No emails have been sent yet" in response.content.decode()


def test_list_is_paginated_20_to_a_page(client, email_folder, django_assert_max_num_queries):
    for number in range(21):
        (email_folder / f"20260101-0900{number:02d}-1.log").write_bytes(
            b"Subject: Digest %d\nTo: bob@example.gov.uk\n\nHello\n" % number + b"-" * 79 + b"\n"
        )
    with django_assert_max_num_queries(2):
        first = client.get(reverse("dev_emails")).content.decode()
    second = client.get(reverse("dev_emails"), {"page": 2}).content.decode()
    assert first.count("Digest ") == 20
    assert second.count("Digest ") == 1
    assert 'rel="next"' in first


def test_one_email_shows_its_text_escaped(client, email_folder):
    send("Your daily summary", "Hello <script>alert('x')</script> & welcome")
    name = saved_files(email_folder)[0].name

    response = client.get(reverse("dev_email", args=[name]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Your daily summary" in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; welcome" in body
    assert "<script>alert" not in body


def test_unknown_or_odd_file_names_are_not_found(client, email_folder):
    (email_folder / "notes.txt").write_text("secret")
    assert client.get(reverse("dev_email", args=["20260101-090000-1.log"])).status_code == 404
    assert client.get(reverse("dev_email", args=["notes.txt"])).status_code == 404
    assert client.get("/dev/emails/..%2Fsettings.py/").status_code == 404


def test_pages_are_not_found_when_debug_is_off(client, email_folder, settings):
    send("Confirm your email address", "Follow this link.")
    name = saved_files(email_folder)[0].name
    settings.DEBUG = False
    assert client.get(reverse("dev_emails")).status_code == 404
    assert client.get(reverse("dev_email", args=[name])).status_code == 404


def test_pages_refuse_post(client, email_folder):
    assert client.post(reverse("dev_emails")).status_code == 405


def test_emails_sent_in_the_same_second_are_saved_in_separate_files(email_folder):
    for number in range(5):
        send(f"Message {number}", "Body")
    assert len(saved_files(email_folder)) == 5


ELSEWHERE = "203.0.113.9"


def test_visitors_from_elsewhere_do_not_find_the_pages_with_debug_on(client, email_folder):
    send("Reset your password", "Follow this link.")
    name = saved_files(email_folder)[0].name
    assert client.get(reverse("dev_emails"), REMOTE_ADDR=ELSEWHERE).status_code == 404
    assert client.get(reverse("dev_email", args=[name]), REMOTE_ADDR=ELSEWHERE).status_code == 404


def test_members_from_elsewhere_do_not_find_the_pages_with_debug_on(client, email_folder, bob):
    send("Reset your password", "Follow this link.")
    name = saved_files(email_folder)[0].name
    client.force_login(bob)
    assert client.get(reverse("dev_emails"), REMOTE_ADDR=ELSEWHERE).status_code == 404
    assert client.get(reverse("dev_email", args=[name]), REMOTE_ADDR=ELSEWHERE).status_code == 404


def test_loopback_requests_passed_on_by_a_proxy_do_not_find_the_pages(client, email_folder):
    response = client.get(reverse("dev_emails"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert response.status_code == 404


def test_site_admins_from_elsewhere_see_the_pages_with_debug_on(client, email_folder, dora):
    send("Reset your password", "Follow this link.")
    client.force_login(dora)
    response = client.get(reverse("dev_emails"), REMOTE_ADDR=ELSEWHERE)
    assert response.status_code == 200
    assert "Reset your password" in response.content.decode()


def test_site_admins_do_not_find_the_pages_when_debug_is_off(client, email_folder, dora, settings):
    settings.DEBUG = False
    client.force_login(dora)
    assert client.get(reverse("dev_emails"), REMOTE_ADDR=ELSEWHERE).status_code == 404
