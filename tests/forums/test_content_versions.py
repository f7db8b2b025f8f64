"""PostgreSQL moves a thread's and a community's content_version on whenever what their
pages show changes (forums/migrations/0003_content_versions.py), whoever writes."""

import pytest
from django.utils import timezone

from communities.models import Community
from forums.models import Attachment, Thread
from forums.services import post_edit
from moderation.thread_actions import thread_hide, thread_move
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def versions(thread):
    thread_version = Thread.objects.values_list("content_version", flat=True).get(pk=thread.pk)
    community_version = Community.objects.values_list("content_version", flat=True).get(pk=thread.community_id)
    return thread_version, community_version


def moved_on(before, after) -> tuple[bool, bool]:
    return after[0] > before[0], after[1] > before[1]


def test_a_reply_moves_the_thread_and_its_community_on(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    before = versions(thread)
    make_reply(thread=thread, author=bob)
    assert moved_on(before, versions(thread)) == (True, True)


def test_an_edit_moves_the_thread_on(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    reply = make_reply(thread=thread, author=bob)
    before = versions(thread)
    post_edit(post=reply, editor=bob, body="A better answer.")
    assert moved_on(before, versions(thread)) == (True, True)


def test_hiding_a_thread_moves_its_community_on(community, alice, bob):
    thread = make_thread(community=community, author=bob)
    before = versions(thread)
    thread_hide(thread=thread, actor=alice, reason="Off-topic")
    assert moved_on(before, versions(thread)) == (True, True)


def test_moving_a_thread_moves_both_communities_on(community, alice, bob):
    other = CommunityFactory()
    MembershipFactory(community=other, user=alice, role="facilitator")
    thread = make_thread(community=community, author=bob)
    old_before = Community.objects.get(pk=community.pk).content_version
    new_before = Community.objects.get(pk=other.pk).content_version
    thread_move(thread=thread, actor=alice, to_community=other)
    assert Community.objects.get(pk=community.pk).content_version > old_before
    assert Community.objects.get(pk=other.pk).content_version > new_before


def test_tagging_a_thread_moves_it_on(community, alice):
    thread = make_thread(community=community, author=alice)
    before = versions(thread)
    thread.tags.add("elections")
    assert moved_on(before, versions(thread)) == (True, True)


def test_renaming_an_author_moves_their_threads_on(community, alice, bob):
    thread = make_thread(community=community, author=alice)
    make_reply(thread=thread, author=bob)
    before = versions(thread)
    bob.display_name = "Robert"
    bob.save()
    assert moved_on(before, versions(thread)) == (True, True)


def test_signing_in_moves_nothing_on(community, alice):
    thread = make_thread(community=community, author=alice)
    before = versions(thread)
    alice.last_login = timezone.now()
    alice.save(update_fields=["last_login"])
    assert versions(thread) == before


def test_a_new_member_moves_the_community_on(community, alice):
    thread = make_thread(community=community, author=alice)
    before = versions(thread)
    MembershipFactory(community=community)
    assert moved_on(before, versions(thread)) == (False, True)


def test_an_attachment_moving_between_threads_moves_both_on(community, alice, bob):
    first = make_thread(community=community, author=alice)
    second = make_thread(community=community, author=alice)
    # A row written straight to the table: the triggers, not our code, keep versions.
    attachment = Attachment.objects.create(
        post=first.posts.get(), file="attachments/a.pdf", filename="a.pdf", content_type="application/pdf", size=9
    )
    before_first, before_second = versions(first), versions(second)
    Attachment.objects.filter(pk=attachment.pk).update(post=second.posts.get())
    assert versions(first)[0] > before_first[0]
    assert versions(second)[0] > before_second[0]
