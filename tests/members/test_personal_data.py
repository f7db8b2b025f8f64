"""Download my data, and delete my account (by the member, or a site admin on request)."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from communities.models import Membership
from members.models import User
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.members.factories import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def community(alice, bob):
    community = CommunityFactory(name="Crisis comms", slug="crisis-comms")
    MembershipFactory(community=community, user=alice)
    MembershipFactory(community=community, user=bob)
    return community


def test_data_page_offers_download_and_deletion(client, bob):
    client.force_login(bob)
    response = client.get(reverse("data_settings"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Download my data" in body
    assert "Delete my account" in body
    assert "The moderation log keeps its entries, with ‘deleted member’ in place of your name" in body
    assert reverse("privacy") in body


def test_download_contains_profile_memberships_threads_and_posts(client, bob, alice, community):
    bob.job_title = "Press officer"
    bob.save()
    bob.expertise.set(["flooding"])
    thread = make_thread(community=community, author=bob, title="Flood warnings on social media")
    make_reply(thread=thread, author=bob, body="Follow-up from me")
    client.force_login(bob)
    response = client.post(reverse("data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["email"] == bob.email
    assert data["profile"]["job_title"] == "Press officer"
    assert data["profile"]["areas_of_expertise"] == ["flooding"]
    assert [m["community__name"] for m in data["memberships"]] == ["Crisis comms"]
    assert [t["title"] for t in data["threads"]] == ["Flood warnings on social media"]
    assert {p["body"] for p in data["posts"]} == {"Any tips?", "Follow-up from me"}
    assert "reactions" in data
    assert "notification_settings" in data


def test_download_holds_nothing_of_other_members(client, bob, alice, community):
    make_thread(community=community, author=alice, title="Alice's own question")
    client.force_login(bob)
    data = json.loads(client.post(reverse("data_download")).content)
    assert data["threads"] == []
    assert alice.email not in json.dumps(data)


def test_download_withholds_titles_of_threads_moved_where_the_member_cannot_see(client, bob, alice, community):
    from forums.models import Thread

    thread = make_thread(community=community, author=alice, title="Original title")
    make_reply(thread=thread, author=bob, body="My reply")
    private = CommunityFactory(name="Private room", slug="private-room", visibility="private")
    Thread.objects.filter(pk=thread.pk).update(community=private, title="Secret new title")
    client.force_login(bob)
    data = json.loads(client.post(reverse("data_download")).content)
    assert [p["body"] for p in data["posts"] if p["thread_id"] == thread.pk] == ["My reply"]
    assert "Secret new title" not in json.dumps(data)


def test_download_needs_post(client, bob):
    client.force_login(bob)
    assert client.get(reverse("data_download")).status_code == 405


def test_download_needs_sign_in(client):
    response = client.post(reverse("data_download"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def confirm_password(client) -> None:
    """What allauth's "Confirm it is you" page does: the password again, good for 5 minutes."""
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def test_deleting_without_ticking_the_box_changes_nothing(client, bob):
    client.force_login(bob)
    response = client.post(reverse("account_delete"), {})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Confirm that you understand deleting your account cannot be undone" in body
    bob.refresh_from_db()
    assert bob.erased_at is None
    assert bob.is_active


def test_deleting_asks_for_the_password_again_first(client, bob):
    client.force_login(bob)
    response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    bob.refresh_from_db()
    assert bob.erased_at is None


def test_the_right_password_then_finishes_deleting(client, bob):
    client.force_login(bob)
    client.post(reverse("account_delete"), {"confirm": "on"})
    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("account_delete"), {"password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_deleted")
    bob.refresh_from_db()
    assert bob.erased_at is not None


def test_the_wrong_password_does_not_delete(client, bob):
    client.force_login(bob)
    client.post(reverse("account_delete"), {"confirm": "on"})
    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("account_delete"), {"password": "not-my-password"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    bob.refresh_from_db()
    assert bob.erased_at is None


def test_deleting_asks_again_once_the_confirmation_is_old(client, bob, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the last confirmation is already too old
    client.force_login(bob)
    confirm_password(client)
    response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.url.startswith(reverse("account_reauthenticate"))
    bob.refresh_from_db()
    assert bob.erased_at is None


def test_a_member_with_two_factor_may_confirm_with_a_code(client, bob):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.totp import current_code

    secret = generate_totp_secret()
    TOTP.activate(bob, secret)
    client.force_login(bob)
    page = client.get(reverse("account_reauthenticate") + "?next=" + reverse("account_delete"))
    assert reverse("mfa_reauthenticate") in page.content.decode()
    response = client.post(reverse("mfa_reauthenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    client.post(reverse("account_delete"), {"confirm": "on"})
    bob.refresh_from_db()
    assert bob.erased_at is not None


def test_a_member_without_a_password_signed_in_by_single_sign_on_may_delete(client, bob):
    bob.set_unusable_password()
    bob.save(update_fields=["password"])
    SocialAccount.objects.create(user=bob, provider="google", uid="123")
    client.force_login(bob)
    response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.url == reverse("account_deleted")


def test_deleting_is_rate_limited_like_sign_in(client, bob):
    client.force_login(bob)
    statuses = [client.post(reverse("account_delete"), {}).status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429
    response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    bob.refresh_from_db()
    assert bob.erased_at is None


def test_the_limit_counts_in_the_shared_cache_for_each_member(client, bob, alice):
    from django.test import Client

    client.force_login(bob)
    for _ in range(5):
        client.post(reverse("account_delete"), {})
    other_browser = Client()
    other_browser.force_login(bob)
    assert other_browser.post(reverse("account_delete"), {}).status_code == 429
    someone_else = Client()
    someone_else.force_login(alice)
    assert someone_else.post(reverse("account_delete"), {}).status_code == 400


def test_deleting_erases_personal_data_and_keeps_posts_as_former_member(
    client, bob, community, media_root, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    client.post(
        reverse("profile_edit"),
        {"display_name": "Bob Member", "job_title": "Press officer", "bio": "Hi", "avatar_upload": image_upload()},
    )
    bob.refresh_from_db()
    bob.expertise.set(["media"])
    photo = media_root / bob.avatar.name
    SocialAccount.objects.create(user=bob, provider="google", uid="123")
    thread = make_thread(community=community, author=bob, title="Bob's question stays")
    confirm_password(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert response.url == reverse("account_deleted")
    erased = User.objects.get(pk=bob.pk)
    assert erased.name == "Former member"
    assert erased.email.endswith(".invalid")
    assert "bob" not in erased.email and "bob" not in erased.username
    assert erased.job_title == erased.bio == erased.bio_html == ""
    assert not erased.avatar and not photo.exists()
    assert list(erased.expertise.names()) == []
    assert not erased.has_usable_password()
    assert not erased.is_active
    assert not EmailAddress.objects.filter(user=erased).exists()
    assert not SocialAccount.objects.filter(user=erased).exists()
    assert not Membership.objects.filter(user=erased).exists()
    thread.refresh_from_db()
    assert thread.author_id == erased.pk
    assert thread.author.name == "Former member"
    assert "_auth_user_id" not in client.session


def test_erased_member_cannot_sign_in(client, bob, dora):
    from members.services import member_erase

    email = bob.email
    member_erase(member=bob, by=dora)
    client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_erasing_keeps_community_member_counts_right(bob, community, dora):
    from communities.models import Community
    from members.services import member_erase

    Community.objects.filter(pk=community.pk).update(member_count=2)
    member_erase(member=bob, by=dora)
    community.refresh_from_db()
    assert community.member_count == 1


def test_site_admin_erases_a_member_on_request_from_the_admin(client, dora, bob):
    client.force_login(dora)
    response = client.post(reverse("admin:members_user_changelist"), {"action": "erase", "_selected_action": [bob.pk]})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.name == "Former member"
    assert bob.erased_at is not None


def test_delete_needs_post(client, bob):
    client.force_login(bob)
    assert client.get(reverse("account_delete")).status_code == 405


def test_delete_needs_sign_in(client):
    response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_data_page_needs_sign_in_and_get(client, bob):
    assert client.get(reverse("data_settings")).status_code == 302
    client.force_login(bob)
    assert client.post(reverse("data_settings")).status_code == 405


def test_erasing_removes_the_members_notification_settings_and_watches(bob, alice, community, dora):
    from forums.models import ThreadSubscription
    from members.services import member_erase

    thread = make_thread(community=community, author=alice, title="Watched thread")
    ThreadSubscription.objects.create(user=bob, thread=thread, level=ThreadSubscription.Level.WATCHING)
    ThreadSubscription.objects.create(user=alice, thread=thread, level=ThreadSubscription.Level.WATCHING)
    member_erase(member=bob, by=dora)
    assert not ThreadSubscription.objects.filter(user=bob).exists()
    assert ThreadSubscription.objects.filter(user=alice).exists()


def test_export_lists_the_tags_the_member_follows(bob, alice, community):
    from taggit.models import Tag

    from forums.follows import tag_follow
    from members.personal_data import export_member_data

    tag_follow(user=bob, tag=Tag.objects.create(name="Floods", slug="floods"))
    tag_follow(user=alice, tag=Tag.objects.create(name="Elections", slug="elections"))
    followed = export_member_data(bob)["notification_settings"]["tags_followed"]
    assert [row["tag__name"] for row in followed] == ["Floods"]
