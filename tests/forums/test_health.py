"""Community health figures, computed on known data with a fixed "now"."""

from datetime import UTC, date, datetime, timedelta

import pytest

from communities.models import Membership
from forums import health
from forums.models import HelpfulMark, Post, Thread
from tests.communities.factories import community_run_by
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

# A Wednesday; weeks in the chart start on Mondays, in Europe/London.
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def at(thing, moment) -> None:
    """Move a thread (and its opening post) or a post to a moment."""
    if isinstance(thing, Thread):
        Thread.objects.filter(pk=thing.pk).update(created_at=moment)
        Post.objects.filter(thread=thing, parent__isnull=True).update(created_at=moment)
    else:
        Post.objects.filter(pk=thing.pk).update(created_at=moment)


def question(community, author, when, title, kind=Thread.Kind.QUESTION) -> Thread:
    thread = make_thread(community=community, author=author, title=title, kind=kind)
    at(thread, when)
    return thread


def reply(thread, author, when) -> Post:
    post = make_reply(thread=thread, author=author)
    at(post, when)
    return post


@pytest.fixture
def world(alice, bob, no_rate_limits):
    """A community with known activity: see each test for the sums."""
    carol = UserFactory(username="carol", display_name="Carol Helper")
    community = community_run_by(alice, slug="press-officers", name="Press officers")
    for person in (bob, carol):
        MembershipFactory(community=community, user=person)
    for days in (2, 10, 40):
        membership = MembershipFactory(community=community, user=UserFactory())
        Membership.objects.filter(pk=membership.pk).update(joined_at=NOW - days * DAY)

    q1 = question(community, bob, NOW - 3 * DAY, "Q1")
    reply(q1, bob, NOW - 3 * DAY + HOUR)  # the asker's own reply is not a first reply
    q1_answer = reply(q1, carol, NOW - 3 * DAY + 2 * HOUR)
    q2 = question(community, bob, NOW - 5 * DAY, "Q2")
    q2_answer = reply(q2, carol, NOW - 5 * DAY + 4 * HOUR)
    q3 = question(community, carol, NOW - 4 * DAY, "Q3 waiting")
    question(community, carol, NOW - 1 * DAY, "Q4 too new to wait")
    q5 = question(community, bob, NOW - 6 * DAY, "Q5")
    q5_own = reply(q5, bob, NOW - 6 * DAY + HOUR)
    Thread.objects.filter(pk=q5.pk).update(accepted_answer=q5_own)
    d1 = question(community, carol, NOW - 2 * DAY, "D1", kind=Thread.Kind.DISCUSSION)
    reply(d1, bob, NOW - 2 * DAY + HOUR / 2)
    hidden = question(community, bob, NOW - 1 * DAY, "Hidden")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    q6 = question(community, carol, NOW - 10 * DAY, "Q6 earlier")
    q6_answer = reply(q6, bob, NOW - 10 * DAY + HOUR)
    Thread.objects.filter(pk=q6.pk).update(accepted_answer=q6_answer)
    HelpfulMark.objects.create(post=q1_answer, user=bob)
    HelpfulMark.objects.create(post=q2_answer, user=bob)
    HelpfulMark.objects.create(post=q2_answer, user=alice)

    elsewhere = CommunityFactory(slug="elsewhere")
    MembershipFactory(community=elsewhere, user=bob)
    question(elsewhere, bob, NOW - 1 * DAY, "Not counted here")
    return {"community": community, "q3": q3, "bob": bob, "carol": carol}


def test_new_members_count_joins_in_each_period_and_the_one_before(world):
    periods = health.community_health(world["community"], NOW).periods
    assert (periods[7].new_members.value, periods[7].new_members.previous) == (1, 1)
    assert (periods[30].new_members.value, periods[30].new_members.previous) == (2, 1)
    assert (periods[90].new_members.value, periods[90].new_members.previous) == (3, 0)


def test_threads_replies_and_active_members_leave_hidden_threads_and_other_communities_out(world):
    week = health.community_health(world["community"], NOW).periods[7]
    assert (week.new_threads.value, week.new_threads.previous) == (6, 1)
    assert (week.replies.value, week.replies.previous) == (5, 1)
    assert (week.active_members.value, week.active_members.previous) == (2, 2)


def test_questions_and_answered_share_count_accepted_answers_and_replies_by_others(world):
    week = health.community_health(world["community"], NOW).periods[7]
    assert (week.questions.value, week.questions.previous) == (5, 1)
    assert (week.answered_share.value, week.answered_share.previous) == (60.0, 100.0)
    assert week.answered_share.change == -40.0


def test_median_time_to_first_reply_ignores_the_askers_own_replies(world):
    week = health.community_health(world["community"], NOW).periods[7]
    # Q1 waited 2 hours for Carol (Bob's own reply at 1 hour does not count), Q2 4 hours.
    assert week.median_first_reply.value == 3 * 3600
    assert week.median_first_reply.previous == 3600


def test_questions_waiting_more_than_48_hours_are_listed(world):
    report = health.community_health(world["community"], NOW)
    assert [thread.title for thread in report.waiting] == ["Q3 waiting"]


def test_top_helpers_rank_accepted_answers_then_helpful_marks(world):
    helpers = health.community_health(world["community"], NOW).helpers
    assert helpers == [
        {"username": "bob", "name": "Bob Member", "accepted": 2, "helpful": 0},
        {"username": "carol", "name": "Carol Helper", "accepted": 0, "helpful": 3},
    ]


def test_weekly_activity_counts_posts_and_people_each_week_including_empty_weeks(world):
    weeks = health.community_health(world["community"], NOW).weeks
    assert len(weeks) == health.WEEKS_CHARTED
    assert weeks[-1] == {"start": date(2026, 6, 8), "posts": 3, "people": 2}
    assert weeks[-2] == {"start": date(2026, 6, 1), "posts": 8, "people": 2}
    assert weeks[-3] == {"start": date(2026, 5, 25), "posts": 2, "people": 2}
    assert weeks[0] == {"start": date(2026, 3, 23), "posts": 0, "people": 0}


def test_health_takes_six_queries_whatever_the_activity(world, django_assert_num_queries):
    with django_assert_num_queries(6):
        health.community_health(world["community"], NOW)


def test_every_community_table_takes_five_queries_and_matches_the_community_page(world, django_assert_num_queries):
    with django_assert_num_queries(5):
        rows = health.all_communities(7, NOW)
    mine = next(row for row in rows if row.community.slug == "press-officers")
    assert mine.figures == health.community_health(world["community"], NOW).periods[7]
    assert mine.waiting == 1


def test_a_community_with_no_activity_has_zero_figures_and_no_median(db):
    quiet = CommunityFactory(slug="quiet")
    week = health.community_health(quiet, NOW).periods[7]
    assert week.new_threads.value == 0
    assert week.answered_share.value is None
    assert week.median_first_reply.value is None


def test_signs_of_life_give_the_last_30_days_for_each_community_listed(world):
    signs = health.signs_of_life([world["community"].pk], NOW)
    month = signs[world["community"].pk]
    assert month.active_members.value == 2
    # Q1, Q2, Q5 and Q6 answered; Q3 and Q4 not.
    assert month.answered_share.value == round(100 * 4 / 6, 1)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (None, "No replies"),
        (60, "1 minute"),
        (3 * 3600, "3 hours"),
        (3 * 3600 + 1200, "3 hours 20 minutes"),
        (50 * 3600, "2 days 2 hours"),
    ],
)
def test_waits_are_said_in_plain_words(seconds, words):
    assert health.duration_words(seconds) == words
