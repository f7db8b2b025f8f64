"""Pre-election period pages (moderation/views_elections.py), the banner on community
pages, and what the author is told on the web."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from forums.models import Post
from members.models import Organisation
from moderation import elections
from moderation.election_models import PreElectionPeriod
from moderation.models import ModerationAction
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    form_token,
    make_thread,
)
from tests.matrix import client_as

pytestmark = pytest.mark.django_db

GUIDANCE = "https://www.gov.uk/government/collections/election-guidance-for-civil-servants"


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).strftime("%d/%m/%Y")


@pytest.fixture
def owner(community):
    olive = UserFactory(username="olive", display_name="Olive Owner")
    MembershipFactory(community=community, user=olive, role=Membership.Role.OWNER)
    return olive


@pytest.fixture
def council_member(bob):
    bob.organisation = OrganisationFactory(
        name="Camden Council", kind=Organisation.Kind.LOCAL_AUTHORITY, region="London"
    )
    bob.save(update_fields=["organisation"])
    return bob


def form_data(**overrides) -> dict:
    return {
        "title": "May local elections",
        "start_date": day(0),
        "end_date": day(30),
        "covers": "chosen",
        "organisation_kinds": ["local_authority"],
        "regions": ["London"],
        "explanation": "Take care with anything that could look political.",
        "guidance_url": GUIDANCE,
        **overrides,
    }


def in_force(community=None, **fields) -> PreElectionPeriod:
    values = {
        "title": "May local elections",
        "start_date": timezone.localdate() - timedelta(days=1),
        "end_date": timezone.localdate() + timedelta(days=1),
        "guidance_url": GUIDANCE,
        **fields,
    }
    return elections.period_create(by=None, community=community, **values)


# Setting a period ---------------------------------------------------------------------


def test_an_owner_sets_a_period_for_their_community(community, owner):
    response = client_as(owner).post(reverse("community_period_new", args=[community.slug]), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("community_periods", args=[community.slug])
    made = PreElectionPeriod.objects.get()
    assert (made.community, made.covers_all, made.organisation_kinds, made.regions) == (
        community,
        False,
        ["local_authority"],
        ["London"],
    )
    assert ModerationAction.objects.filter(action="period_set", actor=owner).exists()


def test_a_site_admin_sets_a_site_wide_period(dora):
    response = client_as(dora).post(reverse("site_period_new"), form_data(covers="all"))
    assert response.status_code == 302
    made = PreElectionPeriod.objects.get()
    assert made.community is None and made.covers_all and made.organisation_kinds == []


def test_a_facilitator_who_is_not_an_owner_may_not_set_a_period(community, alice):
    response = client_as(alice).post(reverse("community_period_new", args=[community.slug]), form_data())
    assert response.status_code == 403
    assert not PreElectionPeriod.objects.exists()


def test_an_outsider_gets_404_for_a_private_communitys_periods(charlie):
    private = CommunityFactory(name="Police media", slug="police-media", visibility="private")
    assert client_as(charlie).get(reverse("community_periods", args=[private.slug])).status_code == 404
    assert client_as(charlie).get(reverse("community_period_new", args=[private.slug])).status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in(community):
    response = client_as(None).get(reverse("community_periods", args=[community.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_last_day_before_the_first_is_refused_and_what_was_typed_is_kept(community, owner):
    data = form_data(start_date=day(10), end_date=day(5), title="Police and crime commissioner elections")
    response = client_as(owner).post(reverse("community_period_new", args=[community.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The last day must be the same as or after the first day" in html
    assert "Police and crime commissioner elections" in html and day(10) in html
    assert not PreElectionPeriod.objects.exists()


def test_choosing_organisations_needs_a_type_or_a_region(community, owner):
    data = form_data(organisation_kinds=[], regions=[])
    response = client_as(owner).post(reverse("community_period_new", args=[community.slug]), data)
    assert "Choose at least one type of organisation or region" in response.content.decode()


def test_a_last_day_in_the_past_is_refused(community, owner):
    data = form_data(start_date=day(-10), end_date=day(-1))
    response = client_as(owner).post(reverse("community_period_new", args=[community.slug]), data)
    assert "The last day must be today or in the future" in response.content.decode()


def test_a_guidance_link_must_be_a_web_address(community, owner):
    data = form_data(guidance_url="javascript:alert(1)")
    response = client_as(owner).post(reverse("community_period_new", args=[community.slug]), data)
    assert response.status_code == 200
    assert not PreElectionPeriod.objects.exists()


# Listing and cancelling ---------------------------------------------------------------


def test_the_periods_page_lists_the_communitys_and_site_wide_periods(community, alice):
    in_force(community=community, title="Council by-election")
    in_force(title="General election")
    in_force(community=CommunityFactory(name="Other", slug="other"), title="Somewhere else")
    html = client_as(alice).get(reverse("community_periods", args=[community.slug])).content.decode()
    assert "Council by-election" in html and "General election" in html
    assert "Somewhere else" not in html
    assert "Set a pre-election period" not in html  # facilitators see; owners set


def test_the_site_periods_page_lists_every_period_with_its_history(dora, community):
    made = in_force(community=community, title="Council by-election")
    elections.period_cancel(period=made, by=dora)
    html = client_as(dora).get(reverse("site_periods")).content.decode()
    assert "Council by-election" in html and "Cancelled by Dora Admin" in html


def test_the_periods_page_runs_a_fixed_number_of_queries(community, owner, django_assert_num_queries):
    for number in range(15):
        in_force(community=community, title=f"Election {number}")
    client = client_as(owner)  # an owner: each period has its cancel button
    client.get(reverse("community_periods", args=[community.slug]))
    # session, user, community, access (with memberships), header's review counts (2), periods: count and page
    with django_assert_num_queries(8):
        response = client.get(reverse("community_periods", args=[community.slug]))
    assert response.content.decode().count('id="period-') == 15


def test_an_owner_ends_a_period_early(community, owner):
    made = in_force(community=community)
    response = client_as(owner).post(reverse("period_cancel", args=[made.pk]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.cancelled_by == owner


def test_cancelling_needs_a_post(community, owner):
    made = in_force(community=community)
    assert client_as(owner).get(reverse("period_cancel", args=[made.pk])).status_code == 405


def test_a_facilitator_may_not_cancel_a_site_wide_period(alice):
    made = in_force()
    assert client_as(alice).post(reverse("period_cancel", args=[made.pk])).status_code == 404
    made.refresh_from_db()
    assert made.cancelled_at is None


# The banner and the author's note -----------------------------------------------------


def test_the_banner_explains_the_period_on_an_affected_community(community, bob):
    in_force(community=community, explanation="Local elections on 6 May.")
    html = client_as(bob).get(community.get_absolute_url()).content.decode()
    assert "Pre-election period" in html and "Local elections on 6 May." in html
    assert f'href="{GUIDANCE}"' in html


def test_no_banner_on_a_community_a_community_period_does_not_cover(community, bob):
    other = CommunityFactory(name="Other", slug="other")
    in_force(community=other)
    assert "Pre-election period" not in client_as(bob).get(community.get_absolute_url()).content.decode()


def test_a_site_wide_period_shows_its_banner_to_visitors_on_every_community(community):
    in_force()
    assert "Pre-election period" in client_as(None).get(community.get_absolute_url()).content.decode()


def test_a_kept_page_shows_the_banner_once_a_period_starts(community, bob, alice):
    thread = make_thread(community=community, author=alice)
    client = client_as(bob)
    assert "Pre-election period" not in client.get(thread.get_absolute_url()).content.decode()
    in_force(community=community)  # nothing on the page was edited: the key must still change
    assert "Pre-election period" in client.get(thread.get_absolute_url()).content.decode()


def test_the_author_is_told_why_their_reply_is_held(community, council_member, alice):
    in_force(community=community, covers_all=False, organisation_kinds=["local_authority"])
    thread = make_thread(community=community, author=alice)
    opening = thread.posts.get()
    response = client_as(council_member).post(
        reverse("post_reply", args=[opening.pk]),
        {"body": "We pause scheduled posts.", "form_token": form_token(council_member)},
        follow=True,
    )
    html = response.content.decode()
    assert "Your reply is waiting for a facilitator to approve it. Pre-election period: May local elections" in html
    assert Post.objects.get(author=council_member).status == Post.Status.HELD


def test_facilitators_see_held_posts_in_a_queue_of_their_own(community, council_member, alice):
    in_force(community=community)
    make_thread(community=community, author=council_member, title="Purdah and our Facebook page")
    main = client_as(alice).get(reverse("community_review", args=[community.slug])).content.decode()
    assert "1 post held during a pre-election period" in main
    assert "Purdah and our Facebook page" not in main
    apart = client_as(alice).get(reverse("community_review_pre_election", args=[community.slug]))
    assert "Purdah and our Facebook page" in apart.content.decode()


def test_the_new_thread_page_shows_the_banner_before_anyone_writes(community, bob):
    in_force(community=community)
    html = client_as(bob).get(reverse("thread_new", args=[community.slug])).content.decode()
    assert "Pre-election period" in html


def test_the_author_of_a_held_thread_is_told_why(community, council_member):
    in_force(community=community)
    data = {
        "title": "Purdah and our Facebook page",
        "body": "Do you pause posts?",
        "kind": "question",
        "form_token": form_token(council_member),
    }
    response = client_as(council_member).post(reverse("thread_new", args=[community.slug]), data, follow=True)
    html = response.content.decode()
    assert "Your thread is waiting for a facilitator to approve it. Pre-election period: May local elections" in html
