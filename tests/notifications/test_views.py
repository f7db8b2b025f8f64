import pytest
from django.urls import reverse

from forums.models import ThreadSubscription
from notifications.models import CommunityEmailPreference, EmailKindPreference, Notification
from notifications.tokens import make_unsubscribe_token
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.matrix import client_as
from tests.notifications.factories import NotificationFactory, set_mode

# The notifications page


def test_notifications_page_lists_my_notifications(bob):
    NotificationFactory(recipient=bob, text="Your request to join Flood response was approved")
    response = client_as(bob).get(reverse("notifications"))
    assert response.status_code == 200
    assert "Your request to join Flood response was approved" in response.content.decode()


def test_notifications_page_does_not_show_other_peoples(bob, charlie):
    NotificationFactory(recipient=charlie, text="Charlie's secret news")
    response = client_as(bob).get(reverse("notifications"))
    assert "Charlie&#x27;s secret news" not in response.content.decode()
    assert "You have no notifications yet" in response.content.decode()


def test_notifications_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_notifications_page_refuses_post(bob):
    assert client_as(bob).post(reverse("notifications")).status_code == 405


def test_notifications_page_ignores_a_nonsense_page_number(bob):
    NotificationFactory(recipient=bob)
    assert client_as(bob).get(reverse("notifications"), {"page": "'; drop table"}).status_code == 200


def test_notifications_page_hides_posts_i_can_no_longer_see(private_community, alice, bob):
    thread = make_thread(community=private_community, author=bob)
    reply = make_reply(thread=thread, author=alice)
    Notification.objects.create(
        recipient=bob, kind="reply", text="Alice replied in the private thread", url="/", post=reply, thread=thread
    )
    private_community.memberships.filter(user=bob).delete()
    response = client_as(bob).get(reverse("notifications"))
    assert "Alice replied in the private thread" not in response.content.decode()


def test_notifications_page_has_a_fixed_number_of_queries(bob, django_assert_max_num_queries):
    NotificationFactory.create_batch(3, recipient=bob)
    client = client_as(bob)
    with django_assert_max_num_queries(8):
        client.get(reverse("notifications"))
    NotificationFactory.create_batch(30, recipient=bob)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications"))
    assert response.context["page_obj"].paginator.num_pages == 2


def test_header_shows_the_unread_count(bob):
    NotificationFactory.create_batch(3, recipient=bob)
    NotificationFactory(recipient=bob, read_at="2026-01-01T00:00Z")
    response = client_as(bob).get(reverse("notifications"))
    assert '<span class="app-unread-count">3<span class="govuk-visually-hidden"> unread</span></span>' in (
        response.content.decode()
    )


# Mark read


def test_mark_one_read(bob):
    notification = NotificationFactory(recipient=bob)
    response = client_as(bob).post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_one_read_refuses_get(bob):
    notification = NotificationFactory(recipient=bob)
    assert client_as(bob).get(reverse("notification_read", args=[notification.pk])).status_code == 405


def test_mark_someone_elses_notification_read_is_404(bob, charlie):
    notification = NotificationFactory(recipient=charlie)
    response = client_as(bob).post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_asks_anonymous_visitors_to_sign_in(client, bob):
    notification = NotificationFactory(recipient=bob)
    assert client.post(reverse("notification_read", args=[notification.pk])).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_only_marks_mine(bob, charlie):
    NotificationFactory.create_batch(2, recipient=bob)
    theirs = NotificationFactory(recipient=charlie)
    response = client_as(bob).post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_refuses_get(bob):
    assert client_as(bob).get(reverse("notifications_read_all")).status_code == 405


# Email settings


def test_email_settings_lists_my_communities_with_daily_digest_by_default(community, bob):
    response = client_as(bob).get(reverse("email_settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Email from Crisis communications" in page
    assert f'name="community_{community.pk}" type="radio" value="daily" checked' in page


def test_email_settings_saves_modes_and_kinds(community, bob):
    response = client_as(bob).post(
        reverse("email_settings"), {f"community_{community.pk}": "every_post", "immediate_kinds": ["reply", "mention"]}
    )
    assert response.status_code == 302
    assert CommunityEmailPreference.objects.get(user=bob, community=community).mode == "every_post"
    assert EmailKindPreference.objects.get(user=bob, kind="answer_accepted").email_immediately is False
    assert EmailKindPreference.objects.get(user=bob, kind="reply").email_immediately is True


def test_email_settings_shows_errors_for_a_bad_choice(community, bob):
    response = client_as(bob).post(reverse("email_settings"), {f"community_{community.pk}": "hourly"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not CommunityEmailPreference.objects.exists()


def test_email_settings_cannot_set_a_community_i_am_not_in(community, charlie):
    client_as(charlie).post(reverse("email_settings"), {f"community_{community.pk}": "every_post"})
    assert not CommunityEmailPreference.objects.filter(user=charlie).exists()


def test_email_settings_asks_anonymous_visitors_to_sign_in(client):
    assert client.get(reverse("email_settings")).status_code == 302


def test_email_settings_refuses_put(bob):
    assert client_as(bob).put(reverse("email_settings")).status_code == 405


def test_email_settings_lists_watched_threads_and_unwatch_works(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Flood warnings on social media")
    ThreadSubscription.objects.create(user=bob, thread=thread, level="watching")
    client = client_as(bob)
    assert "Flood warnings on social media" in client.get(reverse("email_settings")).content.decode()
    response = client.post(reverse("email_thread_unwatch", args=[thread.pk]))
    assert response.status_code == 302
    assert not ThreadSubscription.objects.filter(user=bob).exists()


def test_unwatch_refuses_get(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    ThreadSubscription.objects.create(user=bob, thread=thread, level="watching")
    assert client_as(bob).get(reverse("email_thread_unwatch", args=[thread.pk])).status_code == 405


def test_unwatch_a_thread_i_do_not_watch_is_404(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    ThreadSubscription.objects.create(user=alice, thread=thread, level="watching")
    assert client_as(bob).post(reverse("email_thread_unwatch", args=[thread.pk])).status_code == 404
    assert ThreadSubscription.objects.filter(user=alice).exists()


def test_email_settings_has_a_fixed_number_of_queries(
    community, alice, bob, no_rate_limits, django_assert_max_num_queries
):
    client = client_as(bob)
    with django_assert_max_num_queries(12):
        client.get(reverse("email_settings"))
    for n in range(5):
        other = CommunityFactory()
        MembershipFactory(community=other, user=bob)
        MembershipFactory(community=other, user=alice)
        thread = make_thread(community=other, author=alice, title=f"Thread {n}")
        ThreadSubscription.objects.create(user=bob, thread=thread, level="watching")
    with django_assert_max_num_queries(12):
        client.get(reverse("email_settings"))


# One-click unsubscribe (RFC 8058)


@pytest.fixture
def unsubscribe_url(community, bob):
    set_mode(bob, community, "every_post")
    return reverse("email_unsubscribe", args=[make_unsubscribe_token(user_id=bob.pk, community_ids=[community.pk])])


def test_unsubscribe_get_asks_to_confirm_and_changes_nothing(client, unsubscribe_url, community, bob):
    response = client.get(unsubscribe_url)
    assert response.status_code == 200
    assert "Stop emails from Crisis communications" in response.content.decode()
    assert CommunityEmailPreference.objects.get(user=bob).mode == "every_post"


def test_one_click_post_without_signing_in_turns_email_off(unsubscribe_url, bob):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(unsubscribe_url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert CommunityEmailPreference.objects.get(user=bob).mode == "none"


def test_unsubscribe_with_a_forged_token_is_404(client, community, bob):
    set_mode(bob, community, "every_post")
    response = client.post(reverse("email_unsubscribe", args=["eyJ1IjoxLCJjIjpbMV19:forged"]))
    assert response.status_code == 404
    assert CommunityEmailPreference.objects.get(user=bob).mode == "every_post"


def test_unsubscribe_refuses_put(client, unsubscribe_url):
    assert client.put(unsubscribe_url).status_code == 405


def test_revoke_reply_addresses(bob):
    from notifications.tokens import token_version

    response = client_as(bob).post(reverse("reply_addresses_revoke"))
    assert response.status_code == 302
    assert token_version(bob) == 2


def test_revoke_reply_addresses_refuses_get(bob):
    assert client_as(bob).get(reverse("reply_addresses_revoke")).status_code == 405


def test_revoke_reply_addresses_asks_anonymous_visitors_to_sign_in(client):
    assert client.post(reverse("reply_addresses_revoke")).status_code == 302
