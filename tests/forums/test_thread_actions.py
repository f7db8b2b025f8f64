import pytest
from django.urls import reverse

from forums.models import CommunityForumSettings, Thread, ThreadSubscription
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


def url(name, pk):
    return reverse(name, kwargs={"pk": pk})


def test_facilitator_pins_and_unpins(thread, alice):
    assert client_as(alice).post(url("thread_pin", thread.pk)).status_code == 302
    assert Thread.objects.get(pk=thread.pk).is_pinned
    client_as(alice).post(url("thread_unpin", thread.pk))
    assert not Thread.objects.get(pk=thread.pk).is_pinned


def test_member_cannot_pin(thread, bob):
    assert client_as(bob).post(url("thread_pin", thread.pk)).status_code == 403
    assert not Thread.objects.get(pk=thread.pk).is_pinned


def test_pin_outsider_gets_404_in_private_community(private_thread, charlie):
    assert client_as(charlie).post(url("thread_pin", private_thread.pk)).status_code == 404


def test_pin_anonymous_is_sent_to_sign_in(thread):
    assert client_as(None).post(url("thread_pin", thread.pk)).status_code == 302
    assert not Thread.objects.get(pk=thread.pk).is_pinned


def test_pin_wrong_method_is_405(thread, alice):
    assert client_as(alice).get(url("thread_pin", thread.pk)).status_code == 405


def test_facilitator_locks_with_a_reason_and_unlocks(thread, alice):
    response = client_as(alice).post(url("thread_lock", thread.pk), {"reason": "Off topic"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_locked and thread.lock_reason == "Off topic"
    client_as(alice).post(url("thread_unlock", thread.pk))
    thread.refresh_from_db()
    assert not thread.is_locked and thread.lock_reason == ""


def test_lock_needs_a_reason(thread, alice):
    response = client_as(alice).post(url("thread_lock", thread.pk), {"reason": ""})
    assert response.status_code == 200
    assert "Enter why you are locking the thread" in response.text
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_member_cannot_lock(thread, bob):
    assert client_as(bob).post(url("thread_lock", thread.pk), {"reason": "x"}).status_code == 403
    assert not Thread.objects.get(pk=thread.pk).is_locked


def test_lock_wrong_method_is_405(thread, alice):
    assert client_as(alice).put(url("thread_lock", thread.pk)).status_code == 405


def test_member_watches_then_mutes_then_resets(thread, bob):
    client_as(bob).post(url("thread_subscription", thread.pk), {"level": "watching"})
    assert ThreadSubscription.objects.get(user=bob, thread=thread).level == "watching"
    client_as(bob).post(url("thread_subscription", thread.pk), {"level": "muted"})
    assert ThreadSubscription.objects.get(user=bob, thread=thread).level == "muted"
    client_as(bob).post(url("thread_subscription", thread.pk), {"level": "default"})
    assert not ThreadSubscription.objects.exists()


def test_watch_with_a_bad_level_changes_nothing(thread, bob):
    response = client_as(bob).post(url("thread_subscription", thread.pk), {"level": "shout"})
    assert response.status_code == 302
    assert not ThreadSubscription.objects.exists()


def test_watch_outsider_gets_404_in_private_community(private_thread, charlie):
    assert (
        client_as(charlie).post(url("thread_subscription", private_thread.pk), {"level": "watching"}).status_code
        == 404
    )


def test_pending_member_cannot_watch(thread, erin):
    assert client_as(erin).post(url("thread_subscription", thread.pk), {"level": "watching"}).status_code == 403


def test_watch_wrong_method_is_405(thread, bob):
    assert client_as(bob).get(url("thread_subscription", thread.pk)).status_code == 405


def test_thread_page_shows_watch_state(thread, bob):
    client_as(bob).post(url("thread_subscription", thread.pk), {"level": "watching"})
    assert "You are watching this thread." in client_as(bob).get(thread.get_absolute_url()).text


def test_facilitator_restricts_tags(community, alice):
    response = client_as(alice).post(
        reverse("forum_settings", kwargs={"slug": community.slug}), {"restrict_tags": "on", "allowed_tags": "A, b"}
    )
    assert response.status_code == 302
    settings = CommunityForumSettings.objects.get(community=community)
    assert settings.restrict_tags and settings.allowed_tag_list == ["a", "b"]


def test_restricting_tags_needs_a_list(community, alice):
    response = client_as(alice).post(
        reverse("forum_settings", kwargs={"slug": community.slug}), {"restrict_tags": "on"}
    )
    assert "List at least one tag, or allow any tag" in response.text


def test_member_cannot_change_tag_settings(community, bob):
    assert client_as(bob).get(reverse("forum_settings", kwargs={"slug": community.slug})).status_code == 403


def test_tag_settings_outsider_gets_404(private_community, charlie):
    assert (
        client_as(charlie).get(reverse("forum_settings", kwargs={"slug": private_community.slug})).status_code == 404
    )


def test_tag_settings_wrong_method_is_405(community, alice):
    assert client_as(alice).put(reverse("forum_settings", kwargs={"slug": community.slug})).status_code == 405


@pytest.mark.parametrize("name", ["thread_unpin", "thread_unlock", "answer_clear"])
def test_undo_actions_refuse_members_anonymous_and_outsiders(name, thread, private_thread, bob, charlie):
    assert client_as(bob).get(url(name, thread.pk)).status_code == 405
    assert client_as(None).post(url(name, thread.pk)).status_code == 302
    assert client_as(charlie).post(url(name, private_thread.pk)).status_code == 404
    assert client_as(charlie).post(url(name, thread.pk)).status_code == 403


def test_member_cannot_unpin_or_unlock(thread, alice, bob):
    client_as(alice).post(url("thread_pin", thread.pk))
    client_as(alice).post(url("thread_lock", thread.pk), {"reason": "Closed"})
    assert client_as(bob).post(url("thread_unpin", thread.pk)).status_code == 403
    assert client_as(bob).post(url("thread_unlock", thread.pk)).status_code == 403
    thread.refresh_from_db()
    assert thread.is_pinned and thread.is_locked


def test_unhelpful_refuses_wrong_method_anonymous_and_outsiders(private_thread, bob, charlie):
    post = private_thread.posts.get()
    assert client_as(bob).get(url("post_unhelpful", post.pk)).status_code == 405
    assert client_as(None).post(url("post_unhelpful", post.pk)).status_code == 302
    assert client_as(charlie).post(url("post_unhelpful", post.pk)).status_code == 404


def test_thread_without_slug_redirects_to_its_page(thread, private_thread, charlie):
    response = client_as(None).get(reverse("thread_redirect", kwargs={"pk": thread.pk}))
    assert response.status_code == 301 and response.url == thread.get_absolute_url()
    assert client_as(charlie).get(reverse("thread_redirect", kwargs={"pk": private_thread.pk})).status_code == 404
    assert client_as(None).post(reverse("thread_redirect", kwargs={"pk": thread.pk})).status_code == 405
