"""The site admins' members list: filters, pages and CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Organisation, User
from tests.factories import UserFactory
from tests.members.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    police = OrganisationFactory(name="West Midlands Police", kind=Organisation.Kind.POLICE)
    council = OrganisationFactory(name="Leeds City Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    old = timezone.now() - timedelta(days=400)
    return {
        "fiona": UserFactory(
            username="fiona", display_name="Fiona Grant", organisation=police, region="West Midlands"
        ),
        "aisha": UserFactory(
            username="aisha",
            display_name="Aisha Rahman",
            organisation=council,
            date_joined=old,
            region="Yorkshire and the Humber",
        ),
        "pending": UserFactory(username="pat", display_name="Pat Pending", status=User.Status.PENDING),
    }


def listed(response) -> set[str]:
    return {member.name for member in response.context["page_obj"]}


def members_list(client, **query):
    return client.get(reverse("staff_members"), query)


def test_lists_everyone_for_a_site_admin(client, dora, people):
    client.force_login(dora)
    response = members_list(client)
    assert response.status_code == 200
    assert {"Fiona Grant", "Aisha Rahman", "Pat Pending", "Dora Admin"} <= listed(response)


def test_filters_by_status_organisation_type_and_region(client, dora, people):
    client.force_login(dora)
    assert listed(members_list(client, status="pending")) == {"Pat Pending"}
    assert listed(members_list(client, organisation=people["fiona"].organisation_id)) == {"Fiona Grant"}
    assert listed(members_list(client, kind="local_authority")) == {"Aisha Rahman"}
    assert listed(members_list(client, region="West Midlands")) == {"Fiona Grant"}


def test_filters_by_joined_date_range(client, dora, people):
    client.force_login(dora)
    year_ago = (timezone.localdate() - timedelta(days=365)).isoformat()
    assert "Aisha Rahman" not in listed(members_list(client, joined_from=year_ago))
    assert listed(members_list(client, joined_to=year_ago)) == {"Aisha Rahman"}


def test_joined_dates_are_typed_as_day_month_year(client, dora, people):
    client.force_login(dora)
    year_ago = (timezone.localdate() - timedelta(days=365)).strftime("%d/%m/%Y")
    assert listed(members_list(client, joined_to=year_ago)) == {"Aisha Rahman"}
    body = members_list(client, joined_from="last week").content.decode()
    assert "Enter a real date for the start, for example 27/3/2026" in body
    assert 'value="last week"' in body


def test_date_range_the_wrong_way_round_is_an_error(client, dora, people):
    client.force_login(dora)
    response = members_list(client, joined_from="2026-05-01", joined_to="2026-01-01")
    assert "The end date must be" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "royalty"}, "Choose a status from the list"),
        ({"organisation": "999999"}, "Choose an organisation from the list"),
        ({"organisation": "not-a-number"}, "Choose an organisation from the list"),
        ({"kind": "spaceship"}, "Choose an organisation type from the list"),
        ({"region": "Atlantis"}, "Choose a region from the list"),
    ],
)
def test_a_made_up_filter_is_told_to_choose_from_the_list(client, dora, people, params, message):
    client.force_login(dora)
    response = members_list(client, **params)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()


def test_export_is_the_filtered_list_as_csv(client, dora, people):
    client.force_login(dora)
    response = client.get(reverse("staff_members_export"), {"kind": "police"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["username", "name", "email"]
    assert [row[1] for row in rows[1:]] == ["Fiona Grant"]
    assert rows[1][4] == "West Midlands Police"


def test_export_defuses_spreadsheet_formulas(client, dora):
    UserFactory(username="formula", display_name='=HYPERLINK("http://evil")')
    client.force_login(dora)
    body = client.get(reverse("staff_members_export")).content.decode()
    assert "'=HYPERLINK" in body


def test_paginated_with_a_fixed_query_count(client, dora, django_assert_max_num_queries):
    client.force_login(dora)
    UserFactory.create_batch(5, organisation=OrganisationFactory())
    with django_assert_max_num_queries(10):
        members_list(client)
    UserFactory.create_batch(25, organisation=OrganisationFactory())
    with django_assert_max_num_queries(10):
        response = members_list(client)
    assert len(response.context["page_obj"]) == 20


def test_anonymous_is_sent_to_sign_in(client):
    for name in ["staff_members", "staff_members_export"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["bob", "erin"])
def test_non_admins_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("staff_members")).status_code == 403
    assert client.get(reverse("staff_members_export")).status_code == 403


def test_wrong_method_is_405(client, dora):
    client.force_login(dora)
    assert client.post(reverse("staff_members")).status_code == 405
    assert client.post(reverse("staff_members_export")).status_code == 405


def test_export_with_invalid_filters_shows_the_errors_instead(client, dora, people):
    client.force_login(dora)
    response = client.get(reverse("staff_members_export"), {"status": "nonsense"})
    assert response.status_code == 302
    assert response.url == reverse("staff_members") + "?status=nonsense"
