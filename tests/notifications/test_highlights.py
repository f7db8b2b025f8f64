"""Announcements emailed to every member at once, and the highlights email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from forums import highlights
from forums.models import Thread
from moderation import thread_actions
from notifications.delivery import deliver_pending
from notifications.models import CommunityEmailPreference, EmailOptOut, HighlightsSend
from tests.factories import MembershipFactory, UserFactory, make_thread
from tests.notifications.factories import email_to, set_mode

pytestmark = pytest.mark.django_db


@pytest.fixture
def dan(community):
    dan = UserFactory(username="dan", display_name="Dan Digest")
    MembershipFactory(community=community, user=dan)
    return dan


def announce(community, author, committed, title="Office closed on Friday"):
    with committed():
        thread = make_thread(community=community, author=author, title=title, kind="announcement", body="All day.")
    deliver_pending()
    return thread


def local_path(message) -> str:
    link = message.extra_headers["List-Unsubscribe"].split(">")[0].lstrip("<")
    return link.replace("https://commsnet.example.gov.uk", "")


def test_announcement_is_emailed_at_once_even_to_members_who_chose_no_email(community, alice, bob, dan, committed):
    set_mode(bob, community, "none")
    announce(community, alice, committed)
    [message] = email_to(mail.outbox, bob)
    assert message.subject == "[Crisis communications] Announcement: Office closed on Friday"
    assert "All day." in message.body
    assert len(email_to(mail.outbox, dan)) == 1
    assert email_to(mail.outbox, alice) == []


def test_members_who_turned_announcements_off_do_not_get_them(community, alice, bob, committed):
    EmailOptOut.objects.create(user=bob, kind="announcements", community=community)
    announce(community, alice, committed)
    assert email_to(mail.outbox, bob) == []


def test_every_post_members_get_an_announcement_once(community, alice, bob, committed):
    set_mode(bob, community, "every_post")
    announce(community, alice, committed)
    assert len(email_to(mail.outbox, bob)) == 1


def test_announcement_unsubscribe_turns_off_only_announcements_from_that_community(community, alice, bob, committed):
    announce(community, alice, committed)
    [message] = email_to(mail.outbox, bob)
    response = Client().post(local_path(message))
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=bob, kind="announcements", community=community).exists()
    assert not CommunityEmailPreference.objects.filter(user=bob).exists()


def test_ordinary_threads_are_not_emailed_as_announcements(community, alice, bob, committed):
    with committed():
        make_thread(community=community, author=alice, title="Just a question")
    deliver_pending()
    assert email_to(mail.outbox, bob) == []


def test_an_announcement_is_pinned_until_it_expires(community, alice):
    thread = make_thread(community=community, author=alice, title="Road closures", kind="announcement")
    assert thread.is_pinned
    thread_actions.announcement_pin(thread=thread, actor=alice, until=timezone.now() + timedelta(hours=1))
    assert highlights.announcements_expire() == 0
    Thread.objects.filter(pk=thread.pk).update(pinned_until=timezone.now() - timedelta(minutes=1))
    call_command("expire_announcements")
    thread.refresh_from_db()
    assert (thread.is_pinned, thread.pinned_until) == (False, None)


def send_highlights(community, facilitator, committed, *titles):
    threads = [make_thread(community=community, author=facilitator, title=title) for title in titles]
    for thread in threads:
        highlights.thread_feature(thread=thread, actor=facilitator)
    with committed():
        highlights.highlights_send(community=community, actor=facilitator)
    deliver_pending()
    return threads


def test_highlights_email_lists_the_featured_threads_for_members_not_the_sender(community, alice, bob, committed):
    send_highlights(community, alice, committed, "Best crisis plan template", "Election guidance")
    [message] = email_to(mail.outbox, bob)
    assert message.subject == "Highlights from Crisis communications"
    assert message.body.index("Election guidance") < message.body.index("Best crisis plan template")
    assert email_to(mail.outbox, alice) == []


def test_highlights_skip_members_who_turned_them_off(community, alice, bob, committed):
    EmailOptOut.objects.create(user=bob, kind="highlights", community=community)
    send_highlights(community, alice, committed, "Best crisis plan template")
    assert email_to(mail.outbox, bob) == []


def test_highlights_unsubscribe_leaves_other_email_alone(community, alice, bob, committed):
    send_highlights(community, alice, committed, "Best crisis plan template")
    [message] = email_to(mail.outbox, bob)
    Client().post(local_path(message))
    assert EmailOptOut.objects.filter(user=bob, kind="highlights", community=community).exists()
    assert not EmailOptOut.objects.filter(user=bob, kind="announcements").exists()
    assert not CommunityEmailPreference.objects.filter(user=bob).exists()


def test_highlights_head_the_next_digest(community, alice, bob, committed):
    yesterday = timezone.now() - timedelta(days=1)
    send_highlights(community, alice, committed, "Best crisis plan template")
    Thread.objects.filter(community=community).update(created_at=yesterday, last_activity_at=yesterday)
    HighlightsSend.objects.update(sent_at=yesterday)
    mail.outbox.clear()
    call_command("send_digests", "--daily")
    [digest] = email_to(mail.outbox, bob)
    assert digest.body.index("Highlights from Crisis communications") < digest.body.index("\nCrisis communications\n")


def test_a_member_cannot_send_highlights(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Best crisis plan template")
    highlights.thread_feature(thread=thread, actor=alice)
    with pytest.raises(highlights.HighlightsError):
        highlights.highlights_send(community=community, actor=bob)
    with pytest.raises(highlights.HighlightsError):
        highlights.thread_feature(thread=thread, actor=bob, featured=False)


def test_sending_highlights_needs_a_featured_thread(community, alice):
    with pytest.raises(highlights.HighlightsError, match="Feature at least one thread"):
        highlights.highlights_send(community=community, actor=alice)


def test_email_settings_list_turned_off_emails_and_turn_them_back_on(client, community, bob):
    choice = EmailOptOut.objects.create(user=bob, kind="highlights", community=community)
    client.force_login(bob)
    page = client.get("/settings/email/").content.decode()
    assert "Highlights emails from Crisis communications" in page
    response = client.post(f"/settings/email/turned-off/{choice.pk}/undo/")
    assert response.status_code == 302
    assert not EmailOptOut.objects.filter(pk=choice.pk).exists()


def test_nobody_can_turn_back_on_someone_elses_email(client, community, alice, bob):
    choice = EmailOptOut.objects.create(user=bob, kind="highlights", community=community)
    client.force_login(alice)
    assert client.post(f"/settings/email/turned-off/{choice.pk}/undo/").status_code == 404
    assert client.get(f"/settings/email/turned-off/{choice.pk}/undo/").status_code == 405
    assert EmailOptOut.objects.filter(pk=choice.pk).exists()


def test_an_unpublished_imported_thread_cannot_be_featured_nor_shown(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Imported, not yet published")
    Thread.objects.filter(pk=thread.pk).update(is_unpublished=True, featured_at=timezone.now())
    thread.refresh_from_db()
    with pytest.raises(highlights.HighlightsError):
        highlights.thread_feature(thread=thread, actor=alice)
    assert list(highlights.featured_threads(community)) == []
    page = Client().get(community.get_absolute_url()).content.decode()
    assert "Imported, not yet published" not in page
