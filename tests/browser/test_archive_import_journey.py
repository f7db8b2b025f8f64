"""Alice brings her old email list into her community: she uploads the archive, watches
the import's progress (kept current by a small script; a reload does it without), previews a
thread and publishes; then Bob's new question suggests the answer from the old list."""

import re

from playwright.sync_api import expect

from notifications.archive_import import import_run
from notifications.models import ArchiveImport
from tests.browser.test_search_journey import sign_in
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.notifications import archive_samples as samples


def test_facilitator_imports_an_archive_and_a_member_finds_it(
    page, browser, live_server, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    alice = UserFactory(username="alice", display_name="Alice Facilitator")
    bob = UserFactory(username="bob", display_name="Bob Member")
    social = CommunityFactory(name="Social media and digital engagement", slug="social-media")
    MembershipFactory(community=social, user=alice, role="facilitator")
    MembershipFactory(community=social, user=bob)
    archive = tmp_path / "old-list.mbox"
    archive.write_bytes(samples.mbox(samples.EVERYTHING))

    sign_in(page, alice)
    page.goto("/communities/social-media/import/")
    expect(page.get_by_role("heading", name="Import a mailing-list archive")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Upload and import").click()  # nothing chosen yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an mbox file or a zip of .eml files")
    assert_accessible(page)

    page.get_by_label("Archive file").set_input_files(str(archive))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="Import of old-list.mbox")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Waiting to start")
    expect(page.get_by_role("link", name="Refresh the progress")).to_be_visible()
    assert_accessible(page)

    # The task worker's turn; the page notices by itself (static/js/import-progress.js).
    import_run(batch_id=ArchiveImport.objects.get().pk)
    expect(page.locator("main")).to_contain_text("Ready to publish")
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text(re.compile(r"Threads made\s*2"))
    expect(progress).to_contain_text(re.compile(r"Duplicates skipped\s*1"))
    page.get_by_text("What was refused or left out, and why").click()
    expect(page.locator("main")).to_contain_text("Message 9: not imported")
    assert_accessible(page)

    page.get_by_role("link", name="How do you handle election-period comments?").click()
    expect(page.locator("main")).to_contain_text("We pause scheduled posts")
    expect(page.locator("main")).to_contain_text("Archived author")
    expect(page.locator("main")).not_to_contain_text("priya.shah@council.gov.uk")
    assert_accessible(page)
    page.go_back()

    page.get_by_role("button", name="Publish 2 threads").click()
    expect(page.locator("main")).to_contain_text("Published: 2 threads are now in the community")
    assert_accessible(page)

    context = browser.new_context(base_url=live_server.url)
    member = context.new_page()
    sign_in(member, bob)
    member.goto("/communities/social-media/new/")
    member.get_by_label("Title").press_sequentially("Hiding political comments in the election period")
    suggestions = member.locator(".app-similar-threads__results")
    expect(suggestions.get_by_role("link", name="How do you handle election-period comments?")).to_be_visible()
    assert_accessible(member)
    suggestions.get_by_role("link", name="How do you handle election-period comments?").click()
    expect(member).to_have_url(re.compile(r"/threads/\d+/"))
    expect(member.locator("main")).to_contain_text("We pause scheduled posts")
    context.close()
