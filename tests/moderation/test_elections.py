"""Pre-election periods (moderation/elections.py): who is held, where and when, what
is logged, and what never changes. Dates are set relative to today, and the daily
command's observations take a fixed `today`."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forums.models import Post
from members.models import Organisation
from moderation import elections, services
from moderation.election_models import HOLD_PREFIX, PreElectionPeriod
from moderation.models import ModerationAction
from moderation.selectors import queue_posts
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db

GUIDANCE = "https://www.gov.uk/government/collections/election-guidance-for-civil-servants"
DAY = timedelta(days=1)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def council():
    return OrganisationFactory(name="Camden Council", kind=Organisation.Kind.LOCAL_AUTHORITY, region="London")


@pytest.fixture
def trust():
    return OrganisationFactory(name="Leeds NHS Trust", kind=Organisation.Kind.NHS, region="Yorkshire and the Humber")


@pytest.fixture
def council_member(bob, council):
    """bob works for a London council."""
    bob.organisation = council
    bob.save(update_fields=["organisation"])
    return bob


@pytest.fixture
def nhs_member(community, trust):
    nora = UserFactory(username="nora", display_name="Nora NHS", organisation=trust)
    MembershipFactory(community=community, user=nora)
    return nora


@pytest.fixture
def thread(community, alice):
    return make_thread(community=community, author=alice, title="Comments on the council's Facebook page")


def period(*, community=None, start=None, end=None, by=None, **fields) -> PreElectionPeriod:
    values = {
        "title": "May local elections",
        "start_date": start if start is not None else today() - DAY,
        "end_date": end if end is not None else today() + DAY,
        "guidance_url": GUIDANCE,
        **fields,
    }
    return elections.period_create(by=by, community=community, **values)


def councils_only(**kwargs) -> PreElectionPeriod:
    return period(covers_all=False, organisation_kinds=[Organisation.Kind.LOCAL_AUTHORITY], **kwargs)


def actions(kind: str) -> list[ModerationAction]:
    return list(ModerationAction.objects.filter(action=kind))


# Who is held, and when ----------------------------------------------------------------


def test_a_reply_from_a_covered_organisation_is_held_during_the_period(thread, council_member):
    councils_only()
    reply = make_reply(thread=thread, author=council_member)
    assert reply.status == Post.Status.HELD
    assert reply.moderation_reason.startswith(HOLD_PREFIX + "May local elections")


def test_a_new_thread_from_a_covered_organisation_is_held_and_hidden(community, council_member):
    councils_only()
    held = make_thread(community=community, author=council_member)
    assert held.is_hidden
    assert held.posts.get().status == Post.Status.HELD


def test_nothing_is_held_before_the_first_day(thread, council_member):
    councils_only(start=today() + DAY, end=today() + 5 * DAY)
    assert make_reply(thread=thread, author=council_member).status == Post.Status.PUBLISHED


def test_nothing_is_held_after_the_last_day(thread, council_member, alice):
    # Made in force, then its dates moved into the past (the form refuses past dates).
    made = councils_only()
    PreElectionPeriod.objects.filter(pk=made.pk).update(start_date=today() - 9 * DAY, end_date=today() - DAY)
    assert make_reply(thread=thread, author=council_member).status == Post.Status.PUBLISHED


def test_the_first_and_last_days_are_both_in_the_period(thread, council_member):
    councils_only(start=today(), end=today())
    assert make_reply(thread=thread, author=council_member).status == Post.Status.HELD


def test_a_member_of_an_organisation_not_covered_posts_freely(thread, nhs_member):
    councils_only()
    assert make_reply(thread=thread, author=nhs_member).status == Post.Status.PUBLISHED


def test_a_region_limits_who_is_held(thread, council_member, nhs_member):
    period(covers_all=False, regions=["Yorkshire and the Humber"])
    assert make_reply(thread=thread, author=nhs_member).status == Post.Status.HELD
    assert make_reply(thread=thread, author=council_member).status == Post.Status.PUBLISHED


def test_type_and_region_together_must_both_match(thread, council_member):
    period(covers_all=False, organisation_kinds=[Organisation.Kind.LOCAL_AUTHORITY], regions=["Wales"])
    assert make_reply(thread=thread, author=council_member).status == Post.Status.PUBLISHED


def test_a_member_without_an_organisation_is_held_only_when_the_period_covers_everyone(thread, bob):
    made = councils_only()
    assert make_reply(thread=thread, author=bob).status == Post.Status.PUBLISHED
    elections.period_cancel(period=made, by=None)
    period()
    assert make_reply(thread=thread, author=bob).status == Post.Status.HELD


def test_a_site_wide_period_holds_in_every_community(council_member, alice):
    elsewhere = CommunityFactory(name="Internal communications", slug="internal")
    MembershipFactory(community=elsewhere, user=council_member)
    MembershipFactory(community=elsewhere, user=alice)
    councils_only()
    other_thread = make_thread(community=elsewhere, author=alice)
    assert make_reply(thread=other_thread, author=council_member).status == Post.Status.HELD


def test_a_community_period_holds_only_in_its_community(community, thread, council_member, alice):
    elsewhere = CommunityFactory(name="Internal communications", slug="internal")
    MembershipFactory(community=elsewhere, user=council_member)
    MembershipFactory(community=elsewhere, user=alice)
    councils_only(community=community)
    other_thread = make_thread(community=elsewhere, author=alice)
    assert make_reply(thread=thread, author=council_member).status == Post.Status.HELD
    assert make_reply(thread=other_thread, author=council_member).status == Post.Status.PUBLISHED


def test_facilitators_and_site_admins_are_never_held(thread, alice, dora, council):
    for person in (alice, dora):
        person.organisation = council
        person.save(update_fields=["organisation"])
    period()
    assert make_reply(thread=thread, author=alice).status == Post.Status.PUBLISHED
    assert make_reply(thread=thread, author=dora).status == Post.Status.PUBLISHED


def test_a_cancelled_period_holds_nothing(thread, council_member, dora):
    made = councils_only()
    elections.period_cancel(period=made, by=dora)
    assert make_reply(thread=thread, author=council_member).status == Post.Status.PUBLISHED


def test_posts_published_before_the_period_stay_published(thread, council_member):
    earlier = make_reply(thread=thread, author=council_member)
    councils_only()
    earlier.refresh_from_db()
    assert earlier.status == Post.Status.PUBLISHED and earlier.moderation_reason == ""


def test_the_usual_pre_moderation_hold_has_no_pre_election_note(community, thread, council_member):
    services.moderation_settings_update(community=community, actor=None, hold_first_posts=0, premoderate_all=True)
    reply = make_reply(thread=thread, author=council_member)
    assert reply.status == Post.Status.HELD and reply.moderation_reason == ""


def test_the_author_is_emailed_why_their_post_is_held(thread, council_member, django_capture_on_commit_callbacks):
    councils_only()
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=thread, author=council_member)
    [note] = [message for message in mail.outbox if message.to == [council_member.email]]
    assert "pre-election period" in note.subject
    assert "May local elections" in note.body


def test_approving_a_held_post_publishes_it_without_the_note(thread, council_member, alice):
    councils_only()
    reply = make_reply(thread=thread, author=council_member)
    services.post_approve(post=reply, actor=alice)
    reply.refresh_from_db()
    assert reply.status == Post.Status.PUBLISHED and reply.moderation_reason == ""


# The review queue ---------------------------------------------------------------------


def test_the_review_queue_lists_pre_election_holds_apart(community, thread, council_member, nhs_member, alice):
    services.moderation_settings_update(community=community, actor=alice, hold_first_posts=0, premoderate_all=True)
    councils_only()
    by_period = make_reply(thread=thread, author=council_member)
    usual = make_reply(thread=thread, author=nhs_member)
    assert list(queue_posts(user=alice, community=community)) == [usual]
    assert list(queue_posts(user=alice, community=community, pre_election=True)) == [by_period]


# The moderation log -------------------------------------------------------------------


def test_setting_a_period_is_logged_with_who_set_it(dora):
    made = councils_only(start=today() + DAY, end=today() + 9 * DAY, by=dora)
    [entry] = actions("period_set")
    assert entry.actor == dora and entry.target_id == made.pk and entry.community is None
    assert entry.to_state == "Upcoming"
    assert not actions("period_start")


def test_a_period_that_starts_today_is_logged_as_started_when_set(dora):
    councils_only(start=today(), by=dora)
    [entry] = actions("period_start")
    assert entry.actor is None and entry.actor_name == "CommsNet"


def test_the_daily_command_logs_a_start_once_however_often_it_runs(dora):
    made = councils_only(start=today() + DAY, end=today() + 9 * DAY, by=dora)
    call_command("pre_election_periods", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not actions("period_start")
    elections.observe_all(today=today() + DAY)
    elections.observe_all(today=today() + DAY)
    [entry] = actions("period_start")
    assert entry.target_id == made.pk
    made.refresh_from_db()
    assert made.start_logged_at is not None


def test_the_daily_command_logs_the_end_once_after_the_last_day(dora):
    made = councils_only(start=today(), end=today() + DAY, by=dora)
    elections.observe_all(today=today() + DAY)
    assert not actions("period_end")
    elections.observe_all(today=today() + 2 * DAY)
    elections.observe_all(today=today() + 3 * DAY)
    [entry] = actions("period_end")
    assert entry.target_id == made.pk and entry.to_state == "Ended"


def test_a_post_during_the_period_logs_its_start_if_nothing_did_yet(thread, council_member, dora):
    made = councils_only(start=today() + DAY, end=today() + 9 * DAY, by=dora)
    PreElectionPeriod.objects.filter(pk=made.pk).update(start_date=today())  # the day came; no command ran
    make_reply(thread=thread, author=council_member)
    make_reply(thread=thread, author=council_member)
    assert len(actions("period_start")) == 1


def test_a_community_period_is_logged_in_that_communitys_log(community, alice):
    councils_only(community=community, by=alice)
    assert set(ModerationAction.objects.values_list("community_id", flat=True)) == {community.pk}


def test_ending_a_period_early_logs_the_cancellation_and_the_end(dora):
    made = councils_only(by=dora)
    elections.period_cancel(period=made, by=dora)
    assert [entry.from_state for entry in actions("period_cancel")] == ["In force"]
    assert [entry.reason for entry in actions("period_end")] == ["Cancelled"]
    elections.observe_all(today=today() + 5 * DAY)
    assert len(actions("period_end")) == 1


def test_an_ended_period_cannot_be_cancelled(dora):
    made = councils_only(by=dora)
    PreElectionPeriod.objects.filter(pk=made.pk).update(start_date=today() - 9 * DAY, end_date=today() - DAY)
    with pytest.raises(ValueError, match="already ended"):
        elections.period_cancel(period=made, by=dora)


# Coverage in words --------------------------------------------------------------------


def test_coverage_is_described_in_words():
    chosen = PreElectionPeriod(
        covers_all=False, organisation_kinds=["local_authority", "police"], regions=["Wales", "London"]
    )
    assert chosen.coverage_text() == "Members of Local authority or Police organisations in Wales or London"
    assert PreElectionPeriod(covers_all=True).coverage_text() == "All members"
