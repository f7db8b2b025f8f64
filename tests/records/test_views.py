"""The records pages through the Django test client: the retention rule form, starting
an export, its progress page and the checked download."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from records.models import CommunityExport, RetentionLimits, RetentionRule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RETENTION = reverse("retention_rule", kwargs={"slug": "press-office"})
EXPORTS = reverse("export_list", kwargs={"slug": "press-office"})
START = reverse("export_start", kwargs={"slug": "press-office"})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _ready(community, user, **kwargs) -> CommunityExport:
    export = CommunityExport(
        community=community,
        requested_by=user,
        status=CommunityExport.Status.READY,
        expires_at=timezone.now() + timedelta(days=7),
        **kwargs,
    )
    export.file.save("press.zip", ContentFile(b"zip bytes"), save=True)
    return export


def _detail(export, name="export_detail") -> str:
    return reverse(name, kwargs={"slug": "press-office", "pk": export.pk})


def test_an_owner_saves_a_retention_rule(client, community, owner):
    client.force_login(owner)
    response = client.post(RETENTION, {"archive_after_years": "3", "delete_after_years": "4"})
    assert response.status_code == 302
    rule = RetentionRule.objects.get(community=community)
    assert (rule.archive_after_years, rule.delete_after_years, rule.updated_by) == (3, 4, owner)


def test_a_rule_outside_the_limits_is_refused_and_what_was_typed_is_kept(client, community, owner):
    RetentionLimits.objects.update_or_create(pk=1, defaults={"max_archive_years": 5})
    client.force_login(owner)
    response = client.post(RETENTION, {"archive_after_years": "12", "delete_after_years": ""})
    assert response.status_code == 200
    assert "Years before archiving must be between 1 and 5" in response.content.decode()
    assert 'value="12"' in response.content.decode()
    assert not RetentionRule.objects.exists()


def test_text_for_years_gets_a_clear_message(client, community, owner):
    client.force_login(owner)
    response = client.post(RETENTION, {"archive_after_years": "five", "delete_after_years": ""})
    assert "Years before archiving must be a whole number, like 5" in response.content.decode()


def test_a_facilitator_sees_the_rule_without_a_form(client, community, alice):
    client.force_login(alice)
    response = client.get(RETENTION)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only the community's owners and site admins can change the rule." in page
    assert "Save the rule" not in page


def test_only_site_admins_are_offered_the_legal_hold(client, community, owner, dora):
    client.force_login(owner)
    assert "legal_hold" not in client.get(RETENTION).context["form"].fields
    client.force_login(dora)
    assert "legal_hold" in client.get(RETENTION).context["form"].fields


def test_a_site_admin_places_a_legal_hold_with_a_reason(client, community, dora):
    client.force_login(dora)
    response = client.post(RETENTION, {"archive_after_years": "", "legal_hold": "on", "legal_hold_reason": ""})
    assert "Enter the reason for the legal hold" in response.content.decode()
    client.post(RETENTION, {"archive_after_years": "", "legal_hold": "on", "legal_hold_reason": "FOI 2026/12"})
    assert RetentionRule.objects.get(community=community).legal_hold is True
    assert "A legal hold is on" in client.get(RETENTION).content.decode()


def test_the_retention_page_refuses_other_methods(client, community, owner):
    client.force_login(owner)
    assert client.put(RETENTION).status_code == 405


def test_starting_an_export_shows_its_progress_page(client, community, owner):
    client.force_login(owner)
    response = client.post(START, {"date_from": "1/1/2025", "date_to": ""})
    export = CommunityExport.objects.get()
    assert response.url == _detail(export)
    page = client.get(response.url).content.decode()
    assert "Waiting to start" in page and "From 01/01/2025" in page
    assert "We will email you when it is ready" in page


def test_an_export_with_dates_the_wrong_way_round_is_refused_keeping_them(client, community, owner):
    client.force_login(owner)
    response = client.post(START, {"date_from": "2/5/2025", "date_to": "1/5/2025"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The end date must be the same as or after the start date" in body
    assert 'value="2/5/2025"' in body or 'value="02/05/2025"' in body
    assert not CommunityExport.objects.exists()


def test_start_export_needs_post(client, community, owner):
    client.force_login(owner)
    assert client.get(START).status_code == 405


def test_the_progress_page_needs_get(client, community, owner):
    export = _ready(community, owner)
    client.force_login(owner)
    assert client.post(_detail(export)).status_code == 405


def test_the_download_is_the_zip_and_is_not_cached(client, community, owner):
    export = _ready(community, owner)
    client.force_login(owner)
    response = client.get(_detail(export, "export_download"))
    assert b"".join(response.streaming_content) == b"zip bytes"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_someone_elses_export_is_404_even_for_a_site_admin(client, community, owner, dora):
    export = _ready(community, owner)
    client.force_login(dora)
    assert client.get(_detail(export)).status_code == 404
    assert client.get(_detail(export, "export_download")).status_code == 404


def test_an_owner_who_stood_down_can_no_longer_download(client, community, owner):
    export = _ready(community, owner)
    community.memberships.filter(user=owner).update(role="member")
    client.force_login(owner)
    assert client.get(_detail(export, "export_download")).status_code == 403


def test_an_expired_export_cannot_be_downloaded(client, community, owner):
    export = _ready(community, owner)
    CommunityExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(owner)
    assert client.get(_detail(export, "export_download")).status_code == 404
    assert "This export has expired" in client.get(_detail(export)).content.decode()


def test_the_exports_page_lists_only_your_own_exports_in_fixed_queries(
    client, community, owner, dora, django_assert_max_num_queries
):
    for _ in range(5):
        _ready(community, owner)
    _ready(community, dora)
    client.force_login(owner)
    client.get(EXPORTS)  # warm the session and site caches
    with django_assert_max_num_queries(12):
        response = client.get(EXPORTS)
    assert len(response.context["recent"]) == 5


def test_the_home_page_links_moderators_to_retention_and_export(client, community, alice, bob):
    client.force_login(alice)
    assert RETENTION in client.get(community.get_absolute_url()).content.decode()
    client.force_login(bob)
    assert RETENTION not in client.get(community.get_absolute_url()).content.decode()


def test_a_member_of_another_community_gets_404_for_a_private_one(client, community):
    client.force_login(UserFactory(username="stranger"))
    assert client.get(EXPORTS).status_code == 404
