from datetime import timedelta

import pytest
from django.utils import timezone

from forums.models import Post
from forums.policy import initial_post_status, posting_blocked_reason
from moderation import member_actions, services
from moderation.models import MemberSanction
from moderation.rules import format_time, post_needs_review
from tests.factories import MembershipFactory, make_reply, make_thread
from tests.moderation.factories import moderation_settings

pytestmark = pytest.mark.django_db


def test_a_new_members_first_post_is_held(premoderation, community, bob):
    assert initial_post_status(author=bob, community=community) == Post.Status.HELD


def test_after_an_approved_post_the_member_posts_freely(premoderation, community, bob, alice):
    thread = make_thread(community=community, author=bob)
    services.post_approve(post=thread.posts.get(), actor=alice)
    assert initial_post_status(author=bob, community=community) == Post.Status.PUBLISHED


def test_hold_first_posts_counts_approved_posts(community, bob, alice):
    moderation_settings(community, hold_first_posts=2)
    thread = make_thread(community=community, author=bob)
    services.post_approve(post=thread.posts.get(), actor=alice)
    assert post_needs_review(author=bob, community=community)


def test_zero_turns_holding_first_posts_off(community, bob):
    moderation_settings(community, hold_first_posts=0)
    assert not post_needs_review(author=bob, community=community)


def test_approved_posts_elsewhere_do_not_count(premoderation, community, other_community, bob, alice):
    moderation_settings(other_community, hold_first_posts=0)
    MembershipFactory(community=other_community, user=bob)
    make_thread(community=other_community, author=bob)
    assert post_needs_review(author=bob, community=community)


def test_premoderate_all_holds_established_members(community, bob, alice):
    moderation_settings(community, hold_first_posts=0, premoderate_all=True)
    assert post_needs_review(author=bob, community=community)


def test_member_on_premoderation_is_held(community, bob, alice):
    member_actions.member_premoderate(community=community, user=bob, actor=alice, reason="Repeated off-topic posts")
    assert post_needs_review(author=bob, community=community)


def test_lifting_premoderation_stops_holding(community, bob, alice):
    sanction = member_actions.member_premoderate(community=community, user=bob, actor=alice, reason="Off-topic")
    member_actions.sanction_lift(sanction=sanction, actor=alice)
    assert not post_needs_review(author=bob, community=community)


def test_facilitators_and_site_admins_are_never_held(premoderation, community, alice, dora):
    moderation_settings(community, premoderate_all=True)
    assert not post_needs_review(author=alice, community=community)
    assert not post_needs_review(author=dora, community=community)


def test_a_held_opening_post_hides_its_thread(premoderation, community, bob):
    thread = make_thread(community=community, author=bob)
    assert thread.is_hidden
    assert thread.posts.get().status == Post.Status.HELD


def test_nothing_blocks_an_established_member(community, bob):
    bob.date_joined = timezone.now() - timedelta(days=30)
    bob.save()
    assert posting_blocked_reason(author=bob, community=community) is None


def test_a_muted_member_is_told_until_when(community, bob, alice):
    until = timezone.now() + timedelta(days=3)
    member_actions.member_mute(community=community, user=bob, actor=alice, until=until, reason="Cooling off")
    reason = posting_blocked_reason(author=bob, community=community)
    assert reason.startswith("A facilitator has stopped you posting in Crisis communications until ")
    assert format_time(until) in reason


def test_an_expired_mute_no_longer_blocks(community, bob, alice):
    MemberSanction.objects.create(
        community=community,
        user=bob,
        kind=MemberSanction.Kind.MUTE,
        message="Cooling off",
        until=timezone.now() - timedelta(minutes=1),
    )
    assert posting_blocked_reason(author=bob, community=community) is None


def test_a_mute_in_one_community_does_not_block_another(community, other_community, bob, alice):
    MembershipFactory(community=other_community, user=bob)
    member_actions.member_mute(
        community=community, user=bob, actor=alice, until=timezone.now() + timedelta(days=1), reason="x"
    )
    assert posting_blocked_reason(author=bob, community=other_community) is None


def test_a_new_member_may_start_three_threads_an_hour(community, bob):
    for number in range(3):
        make_thread(community=community, author=bob, title=f"Question {number}")
    reason = posting_blocked_reason(author=bob, community=community)
    assert reason.startswith("New members can start 3 threads an hour. You can post again after ")


def test_the_message_says_when_the_oldest_counted_post_expires(community, bob):
    for number in range(3):
        make_thread(community=community, author=bob, title=f"Question {number}")
    first = Post.objects.filter(author=bob).order_by("created_at").first()
    reason = posting_blocked_reason(author=bob, community=community)
    assert reason.endswith(f"You can post again after {format_time(first.created_at + timedelta(hours=1))}.")


def test_thread_limit_does_not_stop_new_member_replying_when_the_view_says_reply(community, bob):
    from moderation.rules import posting_blocked_reason as rule

    for number in range(3):
        make_thread(community=community, author=bob, title=f"Question {number}")
    assert rule(author=bob, community=community, action="reply") is None


def test_a_new_member_may_post_ten_replies_an_hour(community, bob, alice):
    thread = make_thread(community=community, author=alice)
    for _ in range(10):
        make_reply(thread=thread, author=bob)
    assert "New members can post 10 replies an hour." in posting_blocked_reason(author=bob, community=community)


def test_established_members_have_a_generous_cap(community, bob, alice, settings):
    settings.MODERATION_RATE_LIMITS = {**settings.MODERATION_RATE_LIMITS, "posts_per_hour": 5}
    bob.date_joined = timezone.now() - timedelta(days=30)
    bob.save()
    thread = make_thread(community=community, author=alice)
    for _ in range(5):
        make_reply(thread=thread, author=bob)
    assert "You can post up to 5 times an hour." in posting_blocked_reason(author=bob, community=community)


def test_posts_older_than_an_hour_do_not_count(community, bob):
    for number in range(3):
        make_thread(community=community, author=bob, title=f"Question {number}")
    Post.objects.filter(author=bob).update(created_at=timezone.now() - timedelta(minutes=61))
    assert posting_blocked_reason(author=bob, community=community) is None


def test_site_admins_are_never_rate_limited(community, dora):
    for number in range(4):
        make_thread(community=community, author=dora, title=f"Notice {number}")
    assert posting_blocked_reason(author=dora, community=community) is None


def test_format_time_uses_am_pm_and_the_date_on_other_days():
    moment = timezone.make_aware(timezone.datetime(2026, 12, 5, 15, 45))
    assert format_time(moment) == "3:45pm on 5 December 2026"


def test_an_unsaved_user_is_not_held(community):
    from django.contrib.auth.models import AnonymousUser

    assert not post_needs_review(author=AnonymousUser(), community=community)
