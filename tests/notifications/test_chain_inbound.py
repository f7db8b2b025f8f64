"""A reply-all chain forwarded to a community's posting address: one unpublished thread
and an email to preview it; a forward our server could not check is held the same way
and says so; nothing is posted unseen, and the rules for new threads by email apply."""

import pytest
from django.core import mail

from forums.models import Post, Thread
from notifications.inbound import receive
from notifications.models import ArchiveImport, InboundMessage
from tests.notifications import chain_samples as samples
from tests.notifications.test_inbound import passed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def inline(body=samples.OUTLOOK, *, sender="bob@example.gov.uk", authenticated=True):
    auth = passed(sender) if authenticated else None
    return samples.forward_email(body, sender=sender, slug="crisis-comms", auth=auth)


def test_an_inline_forward_becomes_an_unpublished_thread_with_a_post_per_email(community, bob, committed):
    with committed():
        outcome = receive(inline())
    assert outcome.status == InboundMessage.Status.ACCEPTED
    thread = Thread.objects.get()
    assert thread.is_unpublished and thread.title == samples.SUBJECT
    authors = [p.author or p.archived_author_name for p in thread.posts.order_by("sort_path")]
    assert authors == ["Priya Shah", bob, "Sam Jones"]


def test_the_forwarder_is_emailed_a_link_to_preview_and_publish(community, bob, committed):
    with committed():
        receive(inline())
    batch = ArchiveImport.objects.get()
    [email] = mail.outbox
    assert email.to == ["bob@example.gov.uk"]
    assert f"/communities/crisis-comms/from-email/{batch.pk}/" in email.body
    assert "Nothing is posted until you publish it" in email.body


def test_a_chain_attached_as_rfc822_messages_is_split_post_by_post(community, bob, committed):
    bob_address = "bob@example.gov.uk"
    message = samples.attached_email(sender=bob_address, slug="crisis-comms", auth=passed(bob_address))
    with committed():
        receive(message)
    posts = list(Post.objects.order_by("sort_path"))
    assert [p.body for p in posts] == [samples.OPENING, samples.ANSWER, samples.ADDITION]
    assert [p.parent_id for p in posts] == [None, posts[0].pk, posts[1].pk]


def test_a_forward_our_server_could_not_check_is_held_and_says_so(community, bob, committed):
    with committed():
        outcome = receive(inline(authenticated=False))
    assert outcome.status == InboundMessage.Status.HELD
    assert Thread.objects.get().is_unpublished
    [email] = mail.outbox
    assert email.to == ["bob@example.gov.uk"]
    assert "we could not confirm it came from you" in email.body


def test_a_forward_from_a_stranger_makes_nothing(community, committed):
    with committed():
        outcome = receive(inline(sender="stranger@example.com"))
    assert outcome.status == InboundMessage.Status.REJECTED
    assert not ArchiveImport.objects.exists() and not Post.objects.exists()


def test_a_forward_to_a_community_not_taking_email_posts_is_refused(community, bob, committed):
    community.status = community.Status.ARCHIVED
    community.save(update_fields=["status"])
    with committed():
        outcome = receive(inline())
    assert outcome.status == InboundMessage.Status.REJECTED
    assert "archived" in outcome.reason
    assert not Post.objects.exists()


def test_a_new_thread_by_email_that_is_not_a_forward_is_posted_as_before(community, bob, committed):
    message = inline("We pin one post and update it.")
    message.replace_header("Subject", "Pinned posts during floods")
    with committed():
        outcome = receive(message)
    assert outcome.status == InboundMessage.Status.ACCEPTED
    assert not Thread.objects.get().is_unpublished
    assert not ArchiveImport.objects.exists()
