"""Download my data: the records beyond profile and posts (notifications, reports,
sanctions, revisions, files, inbound email), and nothing about other people."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from forums.models import Attachment
from notifications.inbound import receive
from tests.members.conftest import PERSONAL
from tests.notifications.test_inbound import message

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, client):
    return json.loads(client.post(reverse("data_download")).content)


def test_download_includes_their_notifications(data):
    texts = {row["text"] for row in data["notifications"]}
    assert "Alice Facilitator mentioned you in “Flood warnings”" in texts
    assert "The facilitators of Crisis comms sent you a warning" in texts
    assert {"reply", "mention", "sanction", "post_moderated"} <= {row["kind"] for row in data["notifications"]}


def test_download_includes_reports_they_made_without_other_reporters(data, world):
    assert [(row["post_id"], row["reason"], row["note"], row["status"]) for row in data["reports_made"]] == [
        (world.alices_reply.pk, "other", "Bob's own words", "open")
    ]
    assert data["reports_made"][0]["post__thread__title"] == "Flood warnings"
    exported = json.dumps(data)
    assert "Charlie's words" not in exported
    assert world.charlie.email not in exported


def test_download_includes_sanctions_they_received_without_who_issued_them(data):
    assert [(row["community__name"], row["kind"], row["message"]) for row in data["sanctions_received"]] == [
        ("Crisis comms", "warning", "Please stay on topic")
    ]
    assert "alice" not in json.dumps(data["sanctions_received"]).lower()


def test_download_includes_every_version_of_their_posts(data, world):
    assert [(row["post_id"], row["body"], row["edited_by_you"]) for row in data["post_revisions"]] == [
        (world.bobs_reply.pk, "We pause.", True),
        (world.bobs_reply.pk, "We pause, mostly.", True),
    ]


def test_download_includes_files_they_uploaded_with_links(data, world, settings):
    attachment = Attachment.objects.get(post=world.bobs_reply)
    assert data["files"] == [
        {
            "post_id": world.bobs_reply.pk,
            "filename": "plan.txt",
            "content_type": "text/plain",
            "size": 4,
            "created_at": data["files"][0]["created_at"],
            "link": settings.SITE_URL + attachment.get_absolute_url(),
        }
    ]


def test_download_includes_their_inbound_email_from_any_of_their_addresses(data, world):
    rows = {(row["sender"], row["status"]) for row in data["inbound_email"]}
    assert rows == {(world.bob.email, "accepted"), (PERSONAL, "rejected")}
    rejected = next(row for row in data["inbound_email"] if row["status"] == "rejected")
    assert rejected["subject"] == "Bob Member's question"


def test_download_holds_no_one_elses_addresses(data, world):
    exported = json.dumps(data)
    assert world.alice.email not in exported
    assert world.charlie.email not in exported
    assert "resolved_by" not in exported and "created_by" not in exported


def test_download_leaves_out_email_from_an_address_they_have_not_verified(world, client):
    EmailAddress.objects.create(user=world.bob, email="someone.else@example.org", verified=False)
    receive(message(to="nobody@post.commsnet.example.gov.uk", sender="someone.else@example.org"))
    data = json.loads(client.post(reverse("data_download")).content)
    assert "someone.else@example.org" not in {row["sender"] for row in data["inbound_email"]}
