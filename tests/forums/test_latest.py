"""Latest (/latest/): every thread the reader may see, its filters and their checks."""

import pytest
from django.urls import reverse

from communities.models import Membership
from forums.services import answer_accept
from members.models import Organisation
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_reply,
    make_thread,
)
from tests.forums.factories import bulk_threads
from tests.matrix import client_as

pytestmark = pytest.mark.django_db

URL = "/latest/"


def titles(response) -> list[str]:
    """Thread titles in the order the page lists them."""
    html = response.content.decode()
    found = []
    for part in html.split('govuk-!-font-weight-bold" href="')[1:]:
        found.append(part.split(">", 1)[1].split("<", 1)[0])
    return found


def test_latest_lists_threads_from_every_community_by_last_activity(community, private_community, bob):
    make_thread(community=community, author=bob, title="Older public")
    make_thread(community=private_community, author=bob, title="Newer private")
    assert titles(client_as(bob).get(URL)) == ["Newer private", "Older public"]


def test_a_visitor_sees_public_threads_only(thread, private_thread):
    assert titles(client_as(None).get(URL)) == [thread.title]


def test_newest_sort_orders_by_when_the_thread_started(community, bob, alice):
    first = make_thread(community=community, author=bob, title="Started first")
    make_thread(community=community, author=bob, title="Started second")
    make_reply(thread=first, author=alice)  # first is now the most active
    client = client_as(bob)
    assert titles(client.get(URL))[0] == "Started first"
    assert titles(client.get(URL, {"sort": "newest"}))[0] == "Started second"


def test_kind_unanswered_and_tag_filters(community, bob, alice):
    question = make_thread(community=community, author=bob, title="Open question", tags=["floods"])
    answered = make_thread(community=community, author=bob, title="Answered question", tags=["floods"])
    answer_accept(thread=answered, post=make_reply(thread=answered, author=alice), by=bob)
    make_thread(community=community, author=bob, title="A discussion", kind="discussion")
    client = client_as(bob)
    assert titles(client.get(URL, {"kind": "discussion"})) == ["A discussion"]
    assert titles(client.get(URL, {"unanswered": "on"})) == [question.title]
    assert set(titles(client.get(URL, {"tag": "Floods"}))) == {question.title, answered.title}


def test_community_filter_shows_only_that_community(community, private_community, bob):
    make_thread(community=community, author=bob, title="In public")
    make_thread(community=private_community, author=bob, title="In private")
    assert titles(client_as(bob).get(URL, {"community": private_community.slug})) == ["In private"]


def test_communities_mine_leaves_out_communities_the_member_does_not_belong_to(community, bob, charlie):
    other = CommunityFactory(name="Other", slug="other")
    MembershipFactory(community=other, user=charlie)
    make_thread(community=community, author=bob, title="Mine")
    make_thread(community=other, author=charlie, title="Not mine")
    assert titles(client_as(bob).get(URL, {"communities": "mine"})) == ["Mine"]


def test_a_community_the_reader_may_not_see_is_an_error_and_shows_nothing_of_it(private_thread, thread, charlie):
    response = client_as(charlie).get(URL, {"community": "press-officers"})
    assert "Choose a community from the list" in response.content.decode()
    assert titles(response) == [thread.title]


def test_organisations_like_mine_matches_the_askers_organisation_type_and_region(community, bob):
    kent = OrganisationFactory(name="Kent", kind=Organisation.Kind.LOCAL_AUTHORITY, region="South East")
    surrey = OrganisationFactory(name="Surrey", kind=Organisation.Kind.LOCAL_AUTHORITY, region="South East")
    leeds = OrganisationFactory(
        name="Leeds", kind=Organisation.Kind.LOCAL_AUTHORITY, region="Yorkshire and the Humber"
    )
    trust = OrganisationFactory(name="Trust", kind=Organisation.Kind.NHS, region="South East")
    bob.organisation = kent
    bob.save(update_fields=["organisation"])
    for name, organisation in [("surrey", surrey), ("leeds", leeds), ("trust", trust)]:
        asker = UserFactory(username=name, organisation=organisation)
        MembershipFactory(community=community, user=asker)
        make_thread(community=community, author=asker, title=f"Asked at {name}")
    assert titles(client_as(bob).get(URL, {"like_mine": "on"})) == ["Asked at surrey"]


def test_organisations_like_mine_without_an_organisation_says_what_to_do(thread, bob):
    response = client_as(bob).get(URL, {"like_mine": "on"})
    assert "Add your organisation to your profile" in response.content.decode()
    assert titles(response) == [thread.title]


def test_a_visitor_is_not_offered_member_filters(thread):
    html = client_as(None).get(URL).content.decode()
    assert 'name="communities"' not in html and 'name="like_mine"' not in html


def test_a_made_up_sort_is_an_error_not_a_500(thread, bob):
    response = client_as(bob).get(URL, {"sort": "sideways", "page": "x"})
    assert response.status_code == 200
    assert "Choose latest activity or newest threads" in response.content.decode()


def test_filters_stay_in_the_address_across_pages(community, bob):
    bulk_threads(community=community, author=bob, count=25)
    html = client_as(bob).get(URL, {"kind": "question"}).content.decode()
    assert "kind=question&amp;page=2" in html or "page=2&amp;kind=question" in html


def test_latest_is_in_the_navigation(bob):
    html = client_as(bob).get(reverse("home")).content.decode()
    assert f'href="{URL}"' in html


def test_a_hidden_thread_shows_only_to_its_moderators(community, thread, alice, bob, charlie):
    type(thread).objects.filter(pk=thread.pk).update(is_hidden=True)
    assert titles(client_as(alice).get(URL)) == [thread.title]
    assert titles(client_as(charlie).get(URL)) == []


def test_a_member_who_leaves_a_private_community_stops_seeing_it(private_thread, bob):
    client = client_as(bob)
    assert titles(client.get(URL)) == [private_thread.title]
    Membership.objects.filter(user=bob).delete()
    assert titles(client.get(URL)) == []


def test_post_is_not_allowed(bob):
    assert client_as(bob).post(URL).status_code == 405


@pytest.mark.parametrize("count", [20, 300])
def test_latest_query_count_is_fixed_for_a_member(community, bob, count, django_assert_max_num_queries):
    bulk_threads(community=community, author=bob, count=count, tag="floods")
    client = client_as(bob)
    # Session, user, access, communities for the filter, site version, count, page, read marks,
    # rows, tags.
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"tag": "floods", "page": "2"})
    assert len(titles(response)) == 20


@pytest.mark.parametrize("count", [20, 300])
def test_latest_query_count_is_fixed_for_a_visitor(community, bob, count, django_assert_max_num_queries):
    bulk_threads(community=community, author=bob, count=count)
    # Public communities, communities for the filter, site version, count, page, rows, tags.
    with django_assert_max_num_queries(7):
        response = client_as(None).get(URL)
    assert len(titles(response)) == 20


def test_latest_seen_again_comes_from_the_kept_listing_and_rows(community, bob, django_assert_max_num_queries):
    bulk_threads(community=community, author=bob, count=30)
    client = client_as(None)
    client.get(URL)
    # Public communities, communities for the filter, site version: the rest is kept.
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert len(titles(response)) == 20


def test_a_new_thread_shows_at_once_despite_the_kept_listing(community, bob):
    client = client_as(None)
    make_thread(community=community, author=bob, title="First")
    client.get(URL)
    make_thread(community=community, author=bob, title="Second")
    assert titles(client.get(URL)) == ["Second", "First"]


def test_the_kept_filters_never_offer_one_readers_private_community_to_another(private_thread, bob, charlie):
    assert "Press officers" in client_as(bob).get(URL).content.decode()
    html = client_as(charlie).get(URL).content.decode()
    assert "Press officers" not in html
    assert "Press officers" not in client_as(None).get(URL).content.decode()


def test_the_kept_filters_show_what_this_reader_asked_for(thread, bob):
    client = client_as(bob)
    client.get(URL)
    html = client.get(URL, {"kind": "discussion"}).content.decode()
    assert '<option value="discussion" selected>' in html
