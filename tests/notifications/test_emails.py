import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from communities.models import Community
from core.models import AllowedImageHost
from forums.models import Attachment, ThreadSubscription
from notifications.models import EmailDelivery, EmailKindPreference
from notifications.tokens import read_reply_token
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread
from tests.notifications.factories import email_to, set_mode


def _reply_email(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice, title="Flood warnings on social media")
    first = make_reply(thread=thread, author=alice, body="We post **every hour** on X.")
    with committed():
        reply = make_reply(thread=thread, author=bob, body="We use the *Met Office* graphics.", parent=first)
    [message] = email_to(mail.outbox, alice)
    return thread, first, reply, message


def test_reply_email_has_text_and_safe_html_versions(community, alice, bob, committed):
    thread, first, reply, message = _reply_email(community, alice, bob, committed)
    assert "We use the *Met Office* graphics." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<em>Met Office</em>" in html
    assert f"https://commsnet.example.gov.uk/threads/{thread.pk}/" in message.body
    assert f"https://commsnet.example.gov.uk/posts/{reply.pk}/" in html


def test_reply_email_threads_under_its_parent(community, alice, bob, committed):
    thread, first, reply, message = _reply_email(community, alice, bob, committed)
    opening = thread.posts.get(parent__isnull=True)
    assert message.extra_headers["Message-ID"] == f"<post-{reply.pk}@post.commsnet.example.gov.uk>"
    assert message.extra_headers["In-Reply-To"] == f"<post-{first.pk}@post.commsnet.example.gov.uk>"
    assert message.extra_headers["References"] == (
        f"<post-{opening.pk}@post.commsnet.example.gov.uk> <post-{first.pk}@post.commsnet.example.gov.uk>"
    )
    assert message.subject == "Re: [Crisis communications] Flood warnings on social media"
    assert message.from_email == "Bob Member via CommsNet <noreply@commsnet.localhost>"


def test_reply_email_carries_list_headers_and_one_click_unsubscribe(community, alice, bob, committed):
    *_, message = _reply_email(community, alice, bob, committed)
    headers = message.extra_headers
    assert headers["List-Id"] == "Crisis communications <crisis-comms.post.commsnet.example.gov.uk>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = headers["List-Unsubscribe"].split(", ")
    assert re.fullmatch(r"<https://commsnet\.example\.gov\.uk/email/unsubscribe/[^/]+/>", https)
    assert mailto.startswith("<mailto:unsubscribe@reply.commsnet.example.gov.uk?subject=unsubscribe%20")


def test_reply_to_is_a_signed_address_for_the_recipient_and_thread(community, alice, bob, committed):
    thread, first, reply, message = _reply_email(community, alice, bob, committed)
    [reply_to] = message.reply_to
    local, domain = reply_to.split("@")
    assert domain == "reply.commsnet.example.gov.uk"
    token = read_reply_token(local.removeprefix("reply+"))
    assert (token.user_id, token.thread_id, token.post_id) == (alice.pk, thread.pk, reply.pk)
    assert len(local) <= 64


def test_every_post_mode_sends_new_threads_and_replies(community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    with committed():
        thread = make_thread(community=community, author=alice, title="School closures: snow day statements")
    [message] = email_to(mail.outbox, bob)
    assert message.subject == "[Crisis communications] School closures: snow day statements"
    assert "In-Reply-To" not in message.extra_headers
    with committed():
        make_reply(thread=thread, author=alice)
    assert len(email_to(mail.outbox, bob)) == 2


def test_daily_digest_members_get_no_email_per_post(community, alice, bob, committed):
    with committed():
        make_thread(community=community, author=alice)
    assert email_to(mail.outbox, bob) == []


def test_held_posts_are_not_emailed_until_published(community, alice, bob, committed, settings):
    set_mode(bob, community, "every_post")
    from forums.models import Post

    thread = make_thread(community=community, author=alice)
    with committed():
        reply = make_reply(thread=thread, author=alice)
    Post.objects.filter(pk=reply.pk).update(status="held")
    EmailDelivery.objects.all().delete()
    mail.outbox.clear()
    from notifications.delivery import deliver_pending

    EmailDelivery.objects.create(recipient=bob, key=f"post-{reply.pk}", kind="post", post=reply)
    deliver_pending()
    assert mail.outbox == []
    assert EmailDelivery.objects.get().status == "skipped"


def test_one_email_per_post_even_with_several_reasons(community, alice, bob, committed):
    set_mode(alice, community, "every_post")
    thread = make_thread(community=community, author=alice)
    ThreadSubscription.objects.create(user=alice, thread=thread, level="watching")
    with committed():
        make_reply(thread=thread, author=bob)
    assert len(email_to(mail.outbox, alice)) == 1


def test_watchers_get_every_post_of_the_thread(community, alice, bob, committed):
    thread = make_thread(community=community, author=alice)
    ThreadSubscription.objects.create(user=bob, thread=thread, level="watching")
    with committed():
        make_reply(thread=thread, author=alice)
    assert len(email_to(mail.outbox, bob)) == 1


def test_site_only_kind_gets_no_email(community, alice, bob, committed):
    EmailKindPreference.objects.create(user=alice, kind="reply", email_immediately=False)
    thread = make_thread(community=community, author=alice)
    with committed():
        make_reply(thread=thread, author=bob)
    assert email_to(mail.outbox, alice) == []
    assert alice.notifications.count() == 1


def test_member_banned_after_queueing_receives_nothing(community, alice, bob, settings, committed):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice)
    community.memberships.filter(user=bob).update(status="banned")
    from notifications.delivery import deliver_pending

    deliver_pending()
    assert email_to(mail.outbox, bob) == []
    assert EmailDelivery.objects.get(recipient=bob).status == "skipped"


def test_member_removed_after_queueing_receives_nothing(community, alice, bob, settings, committed):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    set_mode(bob, community, "every_post")
    with committed():
        make_thread(community=community, author=alice)
    community.memberships.filter(user=bob).delete()
    from notifications.delivery import deliver_pending

    deliver_pending()
    assert email_to(mail.outbox, bob) == []


def test_notification_email_for_an_accepted_answer_is_replyable(community, alice, bob, committed):
    from notifications import events

    thread = make_thread(community=community, author=alice, title="Which scheduling tool?")
    reply = make_reply(thread=thread, author=bob)
    with committed():
        events.answer_accepted(thread, reply)
    [message] = email_to(mail.outbox, bob)
    assert message.subject == "Your reply was marked as the answer to “Which scheduling tool?”"
    assert f"https://commsnet.example.gov.uk/posts/{reply.pk}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert message.reply_to[0].startswith("reply+")
    assert message.extra_headers["In-Reply-To"] == f"<post-{reply.pk}@post.commsnet.example.gov.uk>"


def test_membership_decisions_are_in_site_only_because_communities_emails_them(community, charlie, committed):
    from notifications import events

    membership = MembershipFactory(community=community, user=charlie, status="pending")
    with committed():
        events.join_request_decided(membership, True, "")
    assert email_to(mail.outbox, charlie) == []
    assert charlie.notifications.get().text == "Your request to join Crisis communications was approved"


def test_mentions_email_the_post(community, alice, bob, committed):
    from notifications import events

    thread = make_thread(community=community, author=alice)
    dave = UserFactory(username="dave")
    MembershipFactory(community=community, user=dave)
    with committed():
        events.user_mentioned(thread.posts.get(), [dave])
    [message] = email_to(mail.outbox, dave)
    assert message.extra_headers["Message-ID"].startswith(f"<post-{thread.posts.get().pk}@")


def test_relative_links_in_the_post_become_absolute_in_the_html(community, alice, bob, committed):
    from notifications.emails import absolute_links

    html = '<p><a href="/members/bob/" rel="nofollow">@bob</a> <img src="/media/a.png" alt=""></p>'
    assert absolute_links(html) == (
        '<p><a href="https://commsnet.example.gov.uk/members/bob/" rel="nofollow">@bob</a> '
        '<img src="https://commsnet.example.gov.uk/media/a.png" alt=""></p>'
    )
    assert absolute_links('<a href="//evil.example/">x</a>') == '<a href="//evil.example/">x</a>'


def test_list_id_quotes_a_community_name_with_punctuation(community):
    from notifications.emails import list_id

    community.name = "Police, fire and rescue: media"
    assert list_id(community) == '"Police, fire and rescue: media" <crisis-comms.post.commsnet.example.gov.uk>'


def test_notification_email_is_not_sent_to_someone_banned_since(community, alice, bob, settings, committed):
    from notifications import events
    from notifications.delivery import deliver_pending

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob)
    with committed():
        events.answer_accepted(thread, reply)
    community.memberships.filter(user=bob).update(status="banned")
    deliver_pending()
    assert email_to(mail.outbox, bob) == []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _reply_with_file(community, alice, bob, committed, *, size=2000):
    set_mode(bob, community, "every_post")
    thread = make_thread(community=community, author=bob, title="Flood warnings on social media")
    content = b"%PDF-1.4\n" + b"0" * size
    with committed():
        reply = make_reply(thread=thread, author=alice, body="Our plan is attached.")
        Attachment.objects.create(
            post=reply,
            file=ContentFile(content, name="plan.pdf"),
            filename="flood-plan.pdf",
            content_type="application/pdf",
            size=len(content),
        )
    [message] = [m for m in email_to(mail.outbox, bob) if m.subject.startswith("Re:")]
    return reply, message, content


def test_post_email_carries_its_files(community, alice, bob, committed, media):
    _, message, content = _reply_with_file(community, alice, bob, committed)
    assert message.attachments == [("flood-plan.pdf", content, "application/pdf")]


def test_files_beyond_the_size_limit_are_links_that_check_permission(
    community, alice, bob, charlie, committed, settings, client, media
):
    settings.EMAIL_ATTACHMENTS_MAX_BYTES = 1000
    reply, message, _ = _reply_with_file(community, alice, bob, committed)
    assert message.attachments == []
    attachment = reply.attachments.get()
    url = f"https://commsnet.example.gov.uk{attachment.get_absolute_url()}"
    assert f"- flood-plan.pdf: {url}" in message.body
    assert f'<a href="{url}">flood-plan.pdf</a>' in message.alternatives[0][0]
    community.visibility = "private"
    community.save(update_fields=["visibility"])
    client.force_login(charlie)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_post_email_shows_remote_images_as_links_and_uploads_as_images(community, alice, bob, committed):
    AllowedImageHost.objects.create(host="images.example.gov.uk")
    thread = make_thread(community=community, author=alice, title="Flood maps")
    body = "![tracker](https://tracker.example.com/p.png) ![ours](/media/a.png) ![allowed](https://images.example.gov.uk/b.png)"
    with committed():
        make_reply(thread=thread, author=bob, body=body)
    [message] = email_to(mail.outbox, alice)
    html, _ = message.alternatives[0]
    assert '<a href="https://tracker.example.com/p.png" rel="nofollow ugc noopener">tracker</a>' in html
    assert '<img alt="ours" src="https://commsnet.example.gov.uk/media/a.png">' in html
    assert '<img alt="allowed" src="https://images.example.gov.uk/b.png">' in html
    assert html.count("<img") == 2


def test_post_email_is_sent_when_a_name_saved_before_was_on_two_lines(community, alice, bob, committed):
    Community.objects.filter(pk=community.pk).update(name="Crisis\r\ncommunications")
    community.refresh_from_db()
    thread = make_thread(community=community, author=alice, title="Flood maps")
    with committed():
        make_reply(thread=thread, author=bob, body="Here is ours.")
    [message] = email_to(mail.outbox, alice)
    headers = message.message()
    assert headers["Subject"] == "Re: [Crisis communications] Flood maps"
    assert headers["List-Id"] == "Crisis communications <crisis-comms.post.commsnet.example.gov.uk>"
