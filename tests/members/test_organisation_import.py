"""Site admins load organisations from CSV, with a report on every row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.eligibility import eligibility_for
from members.models import Organisation, OrganisationDomain
from tests.members.factories import organisation_with_domain

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = """name,type,region,domains
Kent County Council,Local authority,South East,kent.gov.uk
NHS Lothian,nhs,Scotland,nhslothian.scot.nhs.uk; nhs.scot
Nowhere Council,Spaceship,South East,nowhere.gov.uk
,Police,,nameless.police.uk
Bad Domains Trust,NHS,,not a domain
Taken Council,Local authority,,taken.gov.uk
Unknown Region Council,Local authority,Atlantis,unknown.gov.uk
"""


def upload(text: str, name: str = "organisations.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def post_import(client, file):
    return client.post(reverse("staff_organisation_import"), {"file": file})


def test_imports_good_rows_and_reports_why_others_were_rejected(client, dora):
    organisation_with_domain("taken.gov.uk", name="Already Here")
    client.force_login(dora)
    response = post_import(client, upload(GOOD_AND_BAD))
    body = response.content.decode()
    assert response.status_code == 200
    assert Organisation.objects.filter(
        name="Kent County Council", kind="local_authority", region="South East"
    ).exists()
    lothian = Organisation.objects.get(name="NHS Lothian")
    assert sorted(lothian.domains.values_list("domain", flat=True)) == ["nhs.scot", "nhslothian.scot.nhs.uk"]
    assert "2 imported, 5 rejected" in body
    assert "The type is not one we know" in body
    assert "The name is missing" in body
    assert "‘not’ is not an email domain" in body
    assert "‘taken.gov.uk’ already belongs to Already Here" in body
    assert "The region is not one we know" in body
    assert not Organisation.objects.filter(name__in=["Nowhere Council", "Bad Domains Trust", "Taken Council"]).exists()


def test_imported_domain_then_approves_sign_ups():
    from members.organisation_import import organisations_import

    organisations_import(upload=upload("Example Borough,local_authority,,example-borough.org.uk\n"))
    assert eligibility_for("someone@example-borough.org.uk").organisation.name == "Example Borough"


def test_existing_organisation_name_is_rejected(client, dora):
    organisation_with_domain("kent.gov.uk", name="Kent County Council")
    client.force_login(dora)
    body = post_import(client, upload("Kent County Council,Local authority,,kent2.gov.uk\n")).content.decode()
    assert "already exists" in body
    assert not OrganisationDomain.objects.filter(domain="kent2.gov.uk").exists()


def test_a_binary_file_is_refused_with_an_error(client, dora):
    client.force_login(dora)
    response = post_import(client, SimpleUploadedFile("x.csv", b"\x89PNG\x00\x00binary", content_type="text/csv"))
    assert response.status_code == 200
    assert "must be a CSV file" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_a_file_over_1mb_is_refused(client, dora):
    client.force_login(dora)
    big = upload("Example Borough,local_authority,,example-borough.org.uk\n" * 20_000)  # about 1.1 MB
    response = post_import(client, big)
    assert "The file must be smaller than 1MB." in response.content.decode()
    assert Organisation.objects.count() == 0


def test_no_file_is_an_error(client, dora):
    client.force_login(dora)
    response = client.post(reverse("staff_organisation_import"), {})
    assert "Choose a CSV file" in response.content.decode()


def test_import_page_shows_the_expected_columns(client, dora):
    client.force_login(dora)
    response = client.get(reverse("staff_organisation_import"))
    assert response.status_code == 200
    assert "name,type,region,domains" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = post_import(client, upload(GOOD_AND_BAD))
    assert response.status_code == 302
    assert Organisation.objects.count() == 0


def test_non_admin_gets_403_and_imports_nothing(client, bob):
    client.force_login(bob)
    assert post_import(client, upload(GOOD_AND_BAD)).status_code == 403
    assert Organisation.objects.count() == 0


def test_wrong_method_is_405(client, dora):
    client.force_login(dora)
    assert client.put(reverse("staff_organisation_import")).status_code == 405


def test_domains_are_stored_lower_case_and_duplicates_in_another_case_are_refused():
    from django.core.exceptions import ValidationError

    organisation = organisation_with_domain("Kent.GOV.uk", name="Kent County Council")
    assert list(organisation.domains.values_list("domain", flat=True)) == ["kent.gov.uk"]
    duplicate = OrganisationDomain(organisation=organisation, domain="KENT.gov.uk")
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_site_admin_adds_an_organisation_with_a_domain_in_the_admin(client, dora):
    client.force_login(dora)
    response = client.post(
        reverse("admin:members_organisation_add"),
        {
            "name": "Dorset Council",
            "kind": "local_authority",
            "region": "South West",
            "website": "",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "Dorsetcouncil.gov.uk",
        },
    )
    assert response.status_code == 302
    assert eligibility_for("someone@dorsetcouncil.gov.uk").organisation.name == "Dorset Council"
