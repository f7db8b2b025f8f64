"""Bob emails a new question from his phone's mail app, which our server could not
authenticate: he gets an email asking him to confirm, opens the link without signing
in, checks what he wrote and posts it."""

import re
from email import policy
from email.message import EmailMessage

from django.core import mail
from django.test import override_settings
from playwright.sync_api import expect

from forums.models import Thread
from notifications.inbound import receive
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


@override_settings(
    POST_DOMAIN="post.commsnet.example.gov.uk",
    INBOUND_AUTHSERV_IDS=["mx.commsnet.example.gov.uk"],
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
)
def test_member_confirms_a_held_email_and_it_is_posted(page, assert_accessible, live_server):
    bob = UserFactory(username="bob", display_name="Bob Member", email="bob@example.gov.uk")
    community = CommunityFactory(name="Crisis communications", slug="crisis-comms")
    MembershipFactory(community=community, user=bob)
    msg = EmailMessage(policy=policy.default)
    msg["From"] = "Bob Member <bob@example.gov.uk>"
    msg["To"] = "crisis-comms@post.commsnet.example.gov.uk"
    msg["Subject"] = "Gritting routes on social media"
    msg["Message-ID"] = "<gritting@example.gov.uk>"
    msg.set_content("Where do you publish gritting routes?\n\nThanks,\nBob")
    with override_settings(SITE_URL=live_server.url):
        assert receive(msg).status == "held"
    [confirmation] = mail.outbox
    url = re.search(r"(/email/confirm/\S+/)", confirmation.body)[1]

    page.goto(url)
    expect(page.get_by_role("heading", name="Confirm your email")).to_be_visible()
    expect(page.get_by_text("Where do you publish gritting routes?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Post it").click()
    expect(page.get_by_role("heading", name="Your email has been posted")).to_be_visible()
    assert_accessible(page)
    assert Thread.objects.get().title == "Gritting routes on social media"

    page.goto(url)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    assert_accessible(page)
