"""Atom feeds and personal feed addresses."""

import pytest
from django.urls import reverse

from communities.models import Membership
from feeds.models import FeedToken
from feeds.services import feed_token_renew
from members.models import User
from members.services import member_erase
from tests.factories import make_reply, make_thread
from tests.forums.factories import bulk_replies, bulk_threads
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


def personal(name: str, key: str, *args) -> str:
    return reverse(f"personal_{name}", args=[key, *args])


def test_a_thread_feed_carries_safe_html_author_dates_and_links(thread, alice):
    reply = make_reply(thread=thread, author=alice, body="Try **this** <script>alert(1)</script>")
    response = client_as(None).get(reverse("feed_thread", args=[thread.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "&lt;strong&gt;this&lt;/strong&gt;" in body
    assert "<script>" not in body and "&lt;script&gt;" not in body
    assert "<name>Alice Facilitator</name>" in body
    assert f"http://testserver/posts/{reply.pk}/" in body
    assert "<published>" in body and "<updated>" in body


def test_the_latest_feed_applies_the_latest_filters(community, bob):
    make_thread(community=community, author=bob, title="A question")
    make_thread(community=community, author=bob, title="A discussion", kind="discussion")
    body = client_as(None).get(reverse("feed_latest"), {"kind": "discussion"}).content.decode()
    assert "A discussion" in body and "A question" not in body


def test_a_personal_feed_reads_a_private_community(private_thread, bob):
    key = feed_token_renew(user=bob).key
    response = client_as(None).get(personal("feed_community", key, "press-officers"))
    assert private_thread.title in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_revoked_address_answers_404(private_thread, bob):
    old = feed_token_renew(user=bob).key
    new = feed_token_renew(user=bob).key
    client = client_as(None)
    assert client.get(personal("feed_latest", old)).status_code == 404
    assert client.get(personal("feed_thread", old, private_thread.pk)).status_code == 404
    assert client.get(personal("feed_latest", new)).status_code == 200


def test_a_member_who_leaves_gets_nothing_more_from_the_community(private_thread, bob):
    key = feed_token_renew(user=bob).key
    Membership.objects.filter(user=bob).delete()
    client = client_as(None)
    assert client.get(personal("feed_thread", key, private_thread.pk)).status_code == 404
    assert client.get(personal("feed_community", key, "press-officers")).status_code == 404
    assert private_thread.title not in client.get(personal("feed_latest", key)).content.decode()


def test_a_banned_member_gets_nothing_more_from_the_community(private_thread, bob):
    key = feed_token_renew(user=bob).key
    Membership.objects.filter(user=bob).update(status=Membership.Status.BANNED)
    assert client_as(None).get(personal("feed_thread", key, private_thread.pk)).status_code == 404


def test_a_suspended_members_address_answers_404(thread, bob):
    key = feed_token_renew(user=bob).key
    User.objects.filter(pk=bob.pk).update(status=User.Status.SUSPENDED)
    assert client_as(None).get(personal("feed_latest", key)).status_code == 404


def test_a_made_up_key_answers_404(thread):
    assert client_as(None).get(personal("feed_latest", "not-a-real-key")).status_code == 404


def test_a_tag_only_used_where_the_visitor_may_not_read_is_not_confirmed(private_community, bob):
    make_thread(community=private_community, author=bob, title="Secret", tags=["secret-tag"])
    assert client_as(None).get(reverse("feed_tag", args=["secret-tag"])).status_code == 404


def test_making_a_new_address_revokes_the_old_one(bob):
    client = client_as(bob)
    first = feed_token_renew(user=bob)
    response = client.post(reverse("feed_address_renew"))
    assert response.status_code == 302 and response["Location"].endswith("/settings/email/#feeds")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert FeedToken.objects.filter(user=bob, revoked_at__isnull=True).count() == 1


def test_new_address_needs_post_and_sign_in(bob):
    assert client_as(bob).get(reverse("feed_address_renew")).status_code == 405
    response = client_as(None).post(reverse("feed_address_renew"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not FeedToken.objects.exists()


def test_the_email_settings_page_shows_the_address_and_the_button(community, bob):
    client = client_as(bob)
    assert "Make a personal feed address" in client.get(reverse("email_settings")).content.decode()
    key = feed_token_renew(user=bob).key
    html = client.get(reverse("email_settings")).content.decode()
    assert f"/feeds/{key}/latest/" in html and f"/feeds/{key}/communities/social-media/" in html
    assert "Make a new address" in html


def test_a_thread_titled_feed_keeps_its_own_page(community, bob):
    thread = make_thread(community=community, author=bob, title="Feed")
    assert thread.slug != "feed"
    assert client_as(bob).get(thread.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [20, 300])
def test_feed_query_counts_are_fixed(community, bob, count, django_assert_max_num_queries):
    bulk_threads(community=community, author=bob, count=count, tag="floods")
    key = feed_token_renew(user=bob).key
    client = client_as(None)
    # Token and owner, access, communities for the filters, threads, opening posts, site.
    with django_assert_max_num_queries(6):
        assert client.get(personal("feed_latest", key)).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(personal("feed_community", key, community.slug)).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(personal("feed_tag", key, "floods")).status_code == 200


def test_erasing_a_member_deletes_their_feed_addresses(private_thread, bob, dora, django_capture_on_commit_callbacks):
    key = feed_token_renew(user=bob).key
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=bob, by=dora)
    assert not FeedToken.objects.filter(user=bob).exists()
    assert client_as(None).get(personal("feed_latest", key)).status_code == 404


@pytest.mark.parametrize("count", [5, 300])
def test_thread_feed_query_count_is_fixed(thread, alice, count, django_assert_max_num_queries):
    bulk_replies(thread=thread, author=alice, count=count)
    # The thread with its community, access, the posts with their authors, the site.
    with django_assert_max_num_queries(4):
        response = client_as(None).get(reverse("feed_thread", args=[thread.pk]))
    assert response.content.decode().count("<entry>") == min(count + 1, 20)
