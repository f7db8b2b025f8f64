"""The site's home page ("/"): what a member, a pending account and a visitor see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from communities.models import Membership
from forums.models import AnnouncementDismissal, TagFollow, Thread
from forums.services import answer_accept, thread_mark_read
from members.models import Organisation
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db

HOME = "/"


def body_for(user) -> str:
    response = client_as(user).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def new_section(body: str) -> str:
    return body.split("New since your last visit")[1].split("Questions waiting for an answer")[0]


def age(thread, days: int) -> None:
    when = timezone.now() - datetime.timedelta(days=days)
    Thread.objects.filter(pk=thread.pk).update(created_at=when, last_activity_at=when)


# New since your last visit


def test_new_section_lists_unread_threads_in_my_communities_with_their_community(community, alice, bob):
    make_thread(community=community, author=alice, title="Flood warnings on social")
    body = body_for(bob)
    assert "New since your last visit" in body
    assert "Flood warnings on social" in body
    assert 'in <a class="govuk-link" href="/communities/social-media/">Social media</a>' in body


def test_new_section_leaves_out_a_thread_the_member_has_read(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Flood warnings on social")
    thread_mark_read(thread=thread, user=bob)
    new = new_section(body_for(bob))
    assert "Flood warnings on social" not in new
    assert "You are up to date" in new


def test_new_section_links_to_the_first_unread_post_of_a_thread_read_before(community, alice, bob):
    thread = make_thread(community=community, author=alice, title="Flood warnings on social")
    thread_mark_read(thread=thread, user=bob, at=timezone.now() - datetime.timedelta(hours=1))
    body = body_for(bob)
    assert reverse("thread_first_unread", args=[thread.pk]) in body


def test_new_section_leaves_out_communities_the_member_has_not_joined(community, alice, bob):
    elsewhere = CommunityFactory(name="Elsewhere", slug="elsewhere")
    MembershipFactory(community=elsewhere, user=alice)
    make_thread(community=community, author=alice, title="In my community")
    make_thread(community=elsewhere, author=alice, title="Not in my communities")
    body = body_for(bob)
    assert "In my community" in new_section(body)
    assert "Not in my communities" not in body


def test_new_section_links_to_latest_filtered_to_my_communities(community, bob):
    assert 'href="/latest/?communities=mine"' in body_for(bob)


# Questions waiting for an answer


def test_waiting_lists_a_question_only_its_asker_replied_to(community, alice, bob):
    question = make_thread(community=community, author=alice, title="Who does out-of-hours press?")
    make_reply(thread=question, author=alice, body="Anyone?")
    body = body_for(bob)
    waiting = body.split("Questions waiting for an answer")[1].split("Your questions")[0]
    assert "Who does out-of-hours press?" in waiting


def test_waiting_leaves_out_a_question_someone_else_replied_to(community, alice, bob, charlie):
    MembershipFactory(community=community, user=charlie)
    question = make_thread(community=community, author=alice, title="Who does out-of-hours press?")
    make_reply(thread=question, author=charlie, body="We do")
    waiting = body_for(bob).split("Questions waiting for an answer")[1].split("Your questions")[0]
    assert "Who does out-of-hours press?" not in waiting


def test_waiting_leaves_out_discussions_and_questions_older_than_thirty_days(community, alice, bob):
    make_thread(community=community, author=alice, title="A discussion", kind=Thread.Kind.DISCUSSION)
    old = make_thread(community=community, author=alice, title="An old question")
    age(old, 31)
    waiting = body_for(bob).split("Questions waiting for an answer")[1].split("Your questions")[0]
    assert "A discussion" not in waiting
    assert "An old question" not in waiting


def test_waiting_leaves_out_the_members_own_questions(community, bob):
    make_thread(community=community, author=bob, title="My own question")
    waiting = body_for(bob).split("Questions waiting for an answer")[1].split("Your questions")[0]
    assert "My own question" not in waiting


def test_waiting_puts_oldest_first(community, alice, bob):
    older = make_thread(community=community, author=alice, title="Older question")
    age(older, 3)
    make_thread(community=community, author=alice, title="Newer question")
    waiting = body_for(bob).split("Questions waiting for an answer")[1]
    assert waiting.index("Older question") < waiting.index("Newer question")


def test_waiting_puts_questions_tagged_with_my_expertise_first(community, alice, bob):
    bob.expertise.add("Crisis comms")
    older = make_thread(community=community, author=alice, title="Older question")
    age(older, 3)
    make_thread(community=community, author=alice, title="Crisis question", tags=["crisis-comms"])
    waiting = body_for(bob).split("Questions waiting for an answer")[1]
    assert waiting.index("Crisis question") < waiting.index("Older question")


def test_waiting_puts_questions_with_a_followed_tag_first(community, alice, bob):
    older = make_thread(community=community, author=alice, title="Older question")
    age(older, 3)
    make_thread(community=community, author=alice, title="Flood question", tags=["floods"])
    TagFollow.objects.create(user=bob, tag=Tag.objects.get(slug="floods"))
    waiting = body_for(bob).split("Questions waiting for an answer")[1]
    assert waiting.index("Flood question") < waiting.index("Older question")


# Your questions


def test_your_questions_show_waiting_replies_and_answered(community, alice, bob):
    make_thread(community=community, author=bob, title="Nobody answered")
    replied = make_thread(community=community, author=bob, title="Two replies")
    make_reply(thread=replied, author=alice)
    make_reply(thread=replied, author=alice)
    answered = make_thread(community=community, author=bob, title="Solved")
    answer_accept(thread=answered, post=make_reply(thread=answered, author=alice), by=bob)
    own = body_for(bob).split("Your questions")[1]
    assert own.count("Waiting for a reply") == 1
    assert "2 replies" in own
    assert "Answered" in own


# Your communities


def test_your_communities_show_unread_counts(community, alice, bob):
    make_thread(community=community, author=alice, title="One")
    make_thread(community=community, author=alice, title="Two")
    mine = body_for(bob).split("Your communities")[1]
    assert "2 unread threads" in mine


def test_facilitators_see_pending_requests_and_review_counts(community, alice, charlie):
    community.join_policy = "request"
    community.save(update_fields=["join_policy"])
    MembershipFactory(community=community, user=charlie, status=Membership.Status.PENDING)
    mine = body_for(alice).split("Your communities")[1]
    assert "1 request to join" in mine
    assert reverse("community_requests", args=[community.slug]) in mine


def test_members_do_not_see_pending_request_counts(community, bob, charlie):
    MembershipFactory(community=community, user=charlie, status=Membership.Status.PENDING)
    assert "request to join" not in body_for(bob)


# First visit


def test_first_visit_suggests_communities_with_a_join_button(charlie):
    community = CommunityFactory(name="Floods", slug="floods")
    body = body_for(charlie)
    assert "Communities you might join" in body
    assert reverse("community_join", args=[community.slug]) in body


def test_first_visit_leaves_out_invitation_only_archived_and_requested_communities(charlie):
    CommunityFactory(name="Invite only", slug="invite-only", join_policy="invite")
    CommunityFactory(name="Archived one", slug="archived-one", status="archived")
    asked = CommunityFactory(name="Asked already", slug="asked", join_policy="request")
    MembershipFactory(community=asked, user=charlie, status=Membership.Status.PENDING)
    body = body_for(charlie)
    for name in ("Invite only", "Archived one", "Asked already"):
        assert name not in body


def test_first_visit_leaves_out_private_communities(charlie):
    CommunityFactory(name="Secret circle", slug="secret", visibility="private", join_policy="request")
    assert "Secret circle" not in body_for(charlie)


def test_first_visit_puts_communities_matching_expertise_first(charlie):
    busy = CommunityFactory(name="Busy", slug="busy")
    matching = CommunityFactory(name="Elections", slug="elections")
    matching.topics.add("Elections")
    busy.last_activity_at = timezone.now() + datetime.timedelta(days=1)
    busy.save(update_fields=["last_activity_at"])
    charlie.expertise.add("Elections")
    body = body_for(charlie).split("Communities you might join")[1]
    assert body.index("Elections") < body.index("Busy")


def test_first_visit_puts_communities_with_people_like_me_first(charlie):
    council = Organisation.objects.create(name="Somewhere Council", kind="local_authority")
    charlie.organisation = council
    charlie.save(update_fields=["organisation"])
    busy = CommunityFactory(name="Busy", slug="busy")
    busy.last_activity_at = timezone.now() + datetime.timedelta(days=1)
    busy.save(update_fields=["last_activity_at"])
    councils = CommunityFactory(name="Council comms", slug="council-comms")
    MembershipFactory(community=councils, user=UserFactory(username="other-council", organisation=council))
    body = body_for(charlie).split("Communities you might join")[1]
    assert body.index("Council comms") < body.index("Busy")


# Announcements


def announcement(community, author, title="Office move on Friday"):
    return make_thread(community=community, author=author, title=title, kind=Thread.Kind.ANNOUNCEMENT)


def test_unseen_announcement_shows_at_the_top(community, alice, bob):
    announcement(community, alice)
    body = body_for(bob)
    assert "Announcement in Social media" in body
    assert body.index("Office move on Friday") < body.index("Welcome back")


def test_dismissed_announcement_is_no_longer_shown(community, alice, bob):
    thread = announcement(community, alice)
    client = client_as(bob)
    response = client.post(reverse("announcement_dismiss", args=[thread.pk]))
    assert response.status_code == 302
    assert AnnouncementDismissal.objects.filter(user=bob, thread=thread).exists()
    assert "Announcement in Social media" not in client.get(HOME).content.decode()


def test_read_announcement_is_no_longer_shown(community, alice, bob):
    thread = announcement(community, alice)
    thread_mark_read(thread=thread, user=bob)
    assert "Announcement in Social media" not in body_for(bob)


def test_dismissing_needs_a_post(community, alice, bob):
    thread = announcement(community, alice)
    assert client_as(bob).get(reverse("announcement_dismiss", args=[thread.pk])).status_code == 405


def test_dismissing_a_question_is_404(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    assert client_as(bob).post(reverse("announcement_dismiss", args=[thread.pk])).status_code == 404
    assert not AnnouncementDismissal.objects.exists()


def test_dismissing_an_announcement_outsiders_cannot_read_is_404(private_community, alice, charlie):
    thread = announcement(private_community, alice)
    assert client_as(charlie).post(reverse("announcement_dismiss", args=[thread.pk])).status_code == 404
    assert not AnnouncementDismissal.objects.exists()


def test_dismissing_signed_out_asks_to_sign_in(community, alice):
    thread = announcement(community, alice)
    response = client_as(None).post(reverse("announcement_dismiss", args=[thread.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# Pending accounts and visitors


def test_pending_account_is_told_it_waits_for_approval_and_what_to_do(erin):
    body = body_for(erin)
    assert "Your account is waiting for approval" in body
    assert "A site administrator" in body
    assert reverse("profile_edit") in body
    assert "Welcome back" not in body


def test_visitor_sees_latest_public_discussions_and_active_communities(community, alice):
    community.member_count = 2  # kept by the membership services, which the fixture skips
    community.save(update_fields=["member_count"])
    make_thread(community=community, author=alice, title="Public question")
    body = body_for(None)
    assert "Create an account" in body
    assert "Public question" in body
    assert "Social media" in body
    assert "2 members" in body
    assert 'name="q"' in body


def test_visitor_does_not_see_private_or_members_only_threads(private_community, alice):
    members_only = CommunityFactory(name="Members only", slug="members-only", visibility="members_only")
    MembershipFactory(community=members_only, user=alice)
    make_thread(community=private_community, author=alice, title="Private secret")
    make_thread(community=members_only, author=alice, title="Members secret")
    body = body_for(None)
    assert "Private secret" not in body
    assert "Members secret" not in body
    assert "Press officers" not in body


def test_home_refuses_post(bob):
    assert client_as(bob).post(HOME).status_code == 405
