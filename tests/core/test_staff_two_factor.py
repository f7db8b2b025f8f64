"""STAFF_REQUIRE_2FA: site admins and facilitators without two-factor authentication are
sent to set it up before staff pages and moderation tools; they still take part as members."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import get_resolver, reverse

from core.security import FACILITATOR_PAGES, MEMBER_PAGES_IN_STAFF_ROUTES, REQUIRED_MESSAGE
from forums.models import Thread
from tests.factories import CommunityFactory, MembershipFactory, form_token, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def community(alice, bob):
    community = CommunityFactory(name="Crisis comms", slug="crisis-comms")
    MembershipFactory(community=community, user=alice, role="facilitator")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def thread(community, bob):
    return make_thread(community=community, author=bob, title="Storm warnings")


def sent_to_set_up(response) -> bool:
    return response.status_code == 302 and response.url == reverse("mfa_index")


@pytest.mark.parametrize(
    "url",
    ["/staff/approvals/", "/staff/members/", "/admin/", "/admin/members/user/", "/review/", "/review/log/"],
)
def test_site_admin_without_two_factor_is_sent_to_set_it_up_from_staff_pages(dora, url):
    assert sent_to_set_up(client_as(dora).get(url))


@pytest.mark.parametrize(
    "name",
    [
        "community_review",
        "community_log",
        "community_members",
        "community_requests",
        "community_invite",
        "moderation_settings",
        "forum_settings",
    ],
)
def test_facilitator_without_two_factor_is_sent_to_set_it_up_from_facilitator_pages(alice, community, name):
    assert sent_to_set_up(client_as(alice).get(reverse(name, kwargs={"slug": community.slug})))


def test_a_moderation_action_is_not_done_without_two_factor(alice, thread):
    response = client_as(alice).post(reverse("thread_pin", kwargs={"pk": thread.pk}))
    assert sent_to_set_up(response)
    assert not Thread.objects.get(pk=thread.pk).is_pinned


def test_the_set_up_page_says_why(alice, community):
    client = client_as(alice)
    response = client.get(reverse("community_review", kwargs={"slug": community.slug}), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert REQUIRED_MESSAGE in body
    assert "You run a community" in body
    assert reverse("mfa_activate_totp") in body


def test_facilitator_with_two_factor_uses_the_tools(alice, community, thread):
    TOTP.activate(alice, generate_totp_secret())
    client = client_as(alice)
    assert client.get(reverse("community_review", kwargs={"slug": community.slug})).status_code == 200
    client.post(reverse("thread_pin", kwargs={"pk": thread.pk}))
    assert Thread.objects.get(pk=thread.pk).is_pinned


def test_site_admin_with_two_factor_uses_staff_pages(dora):
    TOTP.activate(dora, generate_totp_secret())
    assert client_as(dora).get("/staff/approvals/").status_code == 200


def test_facilitator_without_two_factor_still_takes_part_as_a_member(alice, community, thread):
    client = client_as(alice)
    assert client.get(reverse("community_home", kwargs={"slug": community.slug})).status_code == 200
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert client.get(reverse("my_moderated_posts")).status_code == 200
    opening = thread.posts.get()
    data = {"body": "Same here", "form_token": form_token(alice)}
    response = client.post(reverse("post_reply", kwargs={"pk": opening.pk}), data)
    assert response.status_code == 302
    assert thread.posts.filter(body="Same here").exists()


def test_members_are_not_asked_and_get_the_usual_answer(bob, community):
    assert client_as(bob).get("/review/").status_code == 404  # site pages are not confirmed to members
    response = client_as(bob).get(reverse("community_review", kwargs={"slug": community.slug}))
    assert response.status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/review/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_with_the_setting_off_staff_are_only_reminded(settings, alice, community):
    settings.STAFF_REQUIRE_2FA = False
    client = client_as(alice)
    assert client.get(reverse("community_review", kwargs={"slug": community.slug})).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert "Protect your account with two-factor authentication" in home
    assert "You need it to use staff pages and moderation tools" not in home


def test_the_reminder_says_it_is_needed_when_required(alice, community):
    home = client_as(alice).get(reverse("home")).content.decode()
    assert "You need it to use staff pages and moderation tools" in home


def test_every_guarded_page_name_is_a_real_page():
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert FACILITATOR_PAGES - names == set()
    assert MEMBER_PAGES_IN_STAFF_ROUTES - names == set()


# Moderation from pages members also use: acting on someone else's post needs it too.


def test_facilitator_without_two_factor_is_sent_to_set_it_up_before_editing_a_members_post(alice, thread):
    opening = thread.posts.get()
    response = client_as(alice).post(
        reverse("post_edit", kwargs={"pk": opening.pk}), {"body": "Edited by a facilitator"}
    )
    assert sent_to_set_up(response)
    opening.refresh_from_db()
    assert opening.body != "Edited by a facilitator"


@pytest.mark.parametrize("name", ["post_delete", "post_revisions"])
def test_facilitator_without_two_factor_is_sent_to_set_it_up_before_moderating_a_members_post(alice, thread, name):
    opening = thread.posts.get()
    assert sent_to_set_up(client_as(alice).get(reverse(name, kwargs={"pk": opening.pk})))


def test_facilitator_without_two_factor_is_sent_to_set_it_up_before_choosing_anothers_answer(alice, bob, thread):
    Thread.objects.filter(pk=thread.pk).update(kind="question")
    reply = make_reply(thread=thread, author=alice, body="Use the Met Office graphics.")
    response = client_as(alice).post(reverse("post_accept", kwargs={"pk": reply.pk}))
    assert sent_to_set_up(response)
    thread.refresh_from_db()
    assert thread.accepted_answer_id is None


def test_facilitator_without_two_factor_still_edits_their_own_post(alice, community):
    own = make_thread(community=community, author=alice, title="Our own notes").posts.get()
    response = client_as(alice).post(reverse("post_edit", kwargs={"pk": own.pk}), {"body": "Updated notes"})
    assert response.status_code == 302 and not sent_to_set_up(response)
    own.refresh_from_db()
    assert own.body == "Updated notes"


@pytest.mark.parametrize("name", ["community_invite_send", "community_invite_change", "archive_import_list"])
def test_facilitator_without_two_factor_is_sent_to_set_it_up_before_inviting_or_importing(alice, community, name):
    url = reverse(name, kwargs={"slug": community.slug})
    response = client_as(alice).post(url, {"addresses": "priya@kent.gov.uk"})
    assert sent_to_set_up(response)


def test_facilitator_without_two_factor_is_sent_to_set_it_up_before_a_members_short_answer(alice, thread):
    response = client_as(alice).get(reverse("short_answer_edit", kwargs={"pk": thread.pk}))
    assert sent_to_set_up(response)
