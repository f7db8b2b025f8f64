"""An owner sets their private community's retention rule, starts an export of it,
watches it finish, follows the emailed link and downloads a zip that opens."""

import json
import re
import zipfile

from django.core import mail
from playwright.sync_api import expect

from records.models import RetentionRule
from tests.factories import TEST_PASSWORD, CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread


def sign_in(page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_owner_sets_retention_then_exports_and_downloads_the_community(
    page, live_server, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    community = CommunityFactory(
        name="Council press officers", slug="council-press", summary="For press officers.", visibility="private"
    )
    olive = UserFactory(username="olive", email="olive.owen@kent.gov.uk", display_name="Olive Owen")
    MembershipFactory(community=community, user=olive, role="owner")
    thread = make_thread(community=community, author=olive, title="Flood warnings overnight", body="Who is on call?")
    make_reply(thread=thread, author=olive, body="I am, until 7am.")

    page.goto("/accounts/login/")
    sign_in(page, olive.email, TEST_PASSWORD)
    page.goto("/communities/council-press/")
    page.get_by_role("link", name="Retention and export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention rule")
    assert_accessible(page)

    # A mistake first: the message says what to do and keeps what was typed.
    page.get_by_label("Years before archiving").fill("50")
    page.get_by_role("button", name="Save the rule").click()
    expect(page.get_by_role("link", name="Years before archiving must be between 1 and 10")).to_be_visible()
    expect(page.get_by_label("Years before archiving")).to_have_value("50")
    assert_accessible(page)
    page.get_by_label("Years before archiving").fill("6")
    page.get_by_label("Years before deleting").fill("4")
    page.get_by_role("button", name="Save the rule").click()
    expect(page.get_by_text("Retention rule saved.")).to_be_visible()
    rule = RetentionRule.objects.get(community=community)
    assert (rule.archive_after_years, rule.delete_after_years) == (6, 4)

    # The export.
    page.get_by_role("link", name="Export", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export the community")
    assert_accessible(page)
    page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_text("Ready to download")).to_be_visible()
    expect(page.get_by_text("1 of 1 thread (100%)")).to_be_visible()
    assert_accessible(page)

    # The email links to the same download, behind sign-in.
    [email] = [m for m in mail.outbox if "export" in m.subject]
    link = re.search(r"https?://\S+/download/", email.body).group(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the export")).click()
    download = download_info.value
    assert link.endswith(page.get_by_role("link", name=re.compile("Download the export")).get_attribute("href"))
    path = tmp_path / "downloaded.zip"
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("council-press-export/threads.json"))
        assert [t["title"] for t in data["threads"]] == ["Flood warnings overnight"]
        assert "I am, until 7am." in archive.read(f"council-press-export/threads/{thread.pk}.html").decode()
