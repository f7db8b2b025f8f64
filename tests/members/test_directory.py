"""The member directory: signed-in approved members only; search, filters, pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Organisation, User
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    police = OrganisationFactory(name="West Midlands Police", kind=Organisation.Kind.POLICE, region="West Midlands")
    council = OrganisationFactory(name="Leeds City Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    fiona = UserFactory(
        username="fiona",
        display_name="Fiona Grant",
        job_title="Head of comms",
        organisation=police,
        region="West Midlands",
    )
    aisha = UserFactory(
        username="aisha",
        display_name="Aisha Rahman",
        job_title="Internal comms",
        organisation=council,
        region="Yorkshire and the Humber",
    )
    aisha.expertise.set(["staff engagement"])
    lucy = UserFactory(
        username="lucy", display_name="Lucy Burns", organisation_other="Citizens Advice Kent", region="South East"
    )
    return {"fiona": fiona, "aisha": aisha, "lucy": lucy}


def names(response) -> list[str]:
    return [member.name for member in response.context["page_obj"]]


def directory(client, **query):
    return client.get(reverse("member_directory"), query)


def test_lists_approved_members_only(client, bob, erin, people):
    UserFactory(username="suspended", display_name="Sus Pended", status=User.Status.SUSPENDED)
    client.force_login(bob)
    response = directory(client)
    assert response.status_code == 200
    listed = names(response)
    assert {"Fiona Grant", "Aisha Rahman", "Lucy Burns", "Bob Member"} <= set(listed)
    assert "Erin Pending" not in listed
    assert "Sus Pended" not in listed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fiona", ["Fiona Grant"]),
        ("head of", ["Fiona Grant"]),
        ("leeds", ["Aisha Rahman"]),
        ("citizens advice", ["Lucy Burns"]),
        ("engagement", ["Aisha Rahman"]),
        ("Grant, Fiona", ["Fiona Grant"]),
        ("internal comms leeds", ["Aisha Rahman"]),
        ("comms police", ["Fiona Grant"]),
        ("fiona leeds", []),
        ("'internal comms' - leeds", ["Aisha Rahman"]),
        ("lucy burns", ["Lucy Burns"]),
    ],
)
def test_search_by_name_job_title_organisation_and_expertise(client, bob, people, query, expected):
    client.force_login(bob)
    assert names(directory(client, q=query)) == expected


def test_search_box_says_what_it_searches(client, bob):
    client.force_login(bob)
    assert "Search by name, job title, organisation or expertise" in directory(client).content.decode()


def test_search_by_the_username_a_profile_shows(client, bob, people):
    UserFactory(username="tomh", display_name="Thomas Hughes")
    client.force_login(bob)
    assert names(directory(client, q="@tomh")) == ["Thomas Hughes"]


def test_a_search_that_matches_nobody_says_so(client, bob, people):
    client.force_login(bob)
    page = directory(client, q="Nobody Atall").content.decode()
    assert "0 members" in page
    assert "No members match. Try fewer words or remove a filter." in page


def test_a_search_of_punctuation_alone_lists_everyone(client, bob, people):
    client.force_login(bob)
    assert set(names(directory(client, q=", -"))) == set(names(directory(client)))


def test_filter_by_organisation_type_and_region(client, bob, people):
    client.force_login(bob)
    assert names(directory(client, kind="police")) == ["Fiona Grant"]
    assert names(directory(client, region="South East")) == ["Lucy Burns"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "spaceship"}, "Choose an organisation type from the list"),
        ({"region": "Atlantis"}, "Choose a region from the list"),
        ({"q": "x" * 101}, "Search for 100 characters or fewer"),
    ],
)
def test_invalid_query_shows_an_error_and_no_list(client, bob, people, query, message):
    client.force_login(bob)
    response = directory(client, **query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "<title>Error: Members" in page
    assert response.context["page_obj"] is None
    assert "Fiona Grant" not in page


def test_paginated_20_per_page(client, bob):
    UserFactory.create_batch(25)
    client.force_login(bob)
    first = directory(client)
    assert len(first.context["page_obj"]) == 20
    assert len(directory(client, page=2).context["page_obj"]) == 6


def test_query_count_does_not_grow_with_members(client, bob, django_assert_max_num_queries):
    client.force_login(bob)
    for user in UserFactory.create_batch(3):
        user.expertise.set(["media"])
    with django_assert_max_num_queries(10):
        directory(client)
    for user in UserFactory.create_batch(20):
        user.expertise.set(["media", "video"])
    with django_assert_max_num_queries(10):
        response = directory(client)
    assert len(response.context["page_obj"]) == 20


def test_query_count_does_not_grow_with_the_words_searched(client, bob, django_assert_max_num_queries):
    client.force_login(bob)
    for user in UserFactory.create_batch(3, job_title="Press officer"):
        user.expertise.set(["media"])
    with CaptureQueriesContext(connection) as asked:
        one_word = directory(client, q="press")
    with django_assert_max_num_queries(len(asked)):
        many_words = directory(client, q="press officer media " * 3)
    assert len(one_word.context["page_obj"]) == len(many_words.context["page_obj"]) == 3


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = directory(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_pending_member_gets_403_with_an_explanation(client, erin):
    client.force_login(erin)
    response = directory(client)
    assert response.status_code == 403
    assert "waiting for approval" in response.content.decode()


def test_wrong_method_is_405(client, bob):
    client.force_login(bob)
    assert client.post(reverse("member_directory")).status_code == 405


def test_rejected_member_sees_why_instead_of_the_directory(client):
    rejected = UserFactory(
        username="rej", status=User.Status.REJECTED, rejection_reason="We could not confirm your role."
    )
    client.force_login(rejected)
    response = directory(client)
    body = response.content.decode()
    assert response.status_code == 403
    assert "Your account was not approved" in body
    assert "We could not confirm your role." in body
