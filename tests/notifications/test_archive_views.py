"""The archive import pages: upload, progress and preview, publish, resume, remove."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Thread
from notifications import archive_services
from notifications.archive_import import import_run
from notifications.models import ArchiveImport
from tests.factories import CommunityFactory, MembershipFactory
from tests.notifications import archive_samples as samples

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def list_url(community) -> str:
    return reverse("archive_import_list", args=[community.slug])


def detail_url(batch) -> str:
    return reverse("archive_import_detail", args=[batch.community.slug, batch.pk])


def upload(client, community, content: bytes, name: str = "list.mbox"):
    return client.post(list_url(community), {"archive": SimpleUploadedFile(name, content)})


@pytest.fixture
def ready(community, alice):
    batch = archive_services.archive_import_start(
        community=community,
        by=alice,
        upload=SimpleUploadedFile("list.mbox", samples.mbox(samples.EVERYTHING)),
        enqueue=False,
    )
    return import_run(batch_id=batch.pk)


def test_facilitator_sees_the_upload_page(client, alice, community):
    client.force_login(alice)
    response = client.get(list_url(community))
    assert response.status_code == 200
    assert "Import a mailing-list archive" in response.content.decode()


def test_upload_imports_in_the_background_and_shows_progress(client, alice, community, committed):
    client.force_login(alice)
    with committed():
        response = upload(client, community, samples.mbox(samples.EVERYTHING))
    batch = ArchiveImport.objects.get()
    assert response.status_code == 302 and response.url == detail_url(batch)
    page = client.get(detail_url(batch)).content.decode()
    assert "Ready to publish" in page
    assert "How do you handle election-period comments?" in page
    assert "Publish 2 threads" in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "list.mbox", "The selected file is empty"),
        (b"%PDF-1.4 not an archive", "list.pdf", "The selected file must be an mbox file or a zip of .eml files"),
        (b"PK\x03\x04 broken zip", "list.zip", None),
    ],
)
def test_upload_of_a_file_that_is_not_an_archive_says_why(client, alice, community, content, name, message):
    client.force_login(alice)
    response = upload(client, community, content, name)
    if message is None:  # looks like a zip: refused when opened, on the progress page
        batch = ArchiveImport.objects.get()
        import_run(batch_id=batch.pk)
        page = client.get(detail_url(batch)).content.decode()
        assert "The selected file must be an mbox file or a zip of .eml files" in page
        assert "Remove this import" in page
        return
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ArchiveImport.objects.exists()


def test_upload_without_a_file_says_so(client, alice, community):
    client.force_login(alice)
    response = client.post(list_url(community), {})
    assert response.status_code == 400
    assert "Select an mbox file or a zip of .eml files" in response.content.decode()


def test_upload_of_a_file_over_the_limit_says_so(client, alice, community, monkeypatch):
    monkeypatch.setattr(archive_services, "MAX_ARCHIVE_BYTES", 10)
    client.force_login(alice)
    response = upload(client, community, samples.mbox(samples.EVERYTHING))
    assert response.status_code == 400
    assert "The selected file must be smaller than 1 GB" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, community):
    response = client.get(list_url(community))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_member_is_refused_the_import_pages(client, bob, community, ready):
    client.force_login(bob)
    assert client.get(list_url(community)).status_code == 403
    assert client.get(detail_url(ready)).status_code == 403
    assert client.post(reverse("archive_import_publish", args=[community.slug, ready.pk])).status_code == 403
    assert Thread.objects.filter(is_unpublished=True).count() == 2


def test_outsider_gets_404_for_a_private_communitys_imports(client, charlie, alice):
    private = CommunityFactory(slug="private-list", visibility="private")
    MembershipFactory(community=private, user=alice, role="facilitator")
    client.force_login(charlie)
    assert client.get(list_url(private)).status_code == 404


def test_another_communitys_import_is_404(client, alice, ready):
    other = CommunityFactory(slug="other")
    MembershipFactory(community=other, user=alice, role="facilitator")
    client.force_login(alice)
    assert client.get(reverse("archive_import_detail", args=[other.slug, ready.pk])).status_code == 404


@pytest.mark.parametrize("action", ["archive_import_publish", "archive_import_resume", "archive_import_remove"])
def test_actions_refuse_get(client, alice, ready, action):
    client.force_login(alice)
    assert client.get(reverse(action, args=[ready.community.slug, ready.pk])).status_code == 405


def test_progress_page_keeps_itself_current_only_while_importing(client, alice, ready):
    client.force_login(alice)
    assert "import-progress.js" not in client.get(detail_url(ready)).content.decode()
    ArchiveImport.objects.filter(pk=ready.pk).update(status="running", messages_total=100, messages_read=50)
    page = client.get(detail_url(ready)).content.decode()
    assert "import-progress.js" in page and 'data-import-progress="active"' in page
    assert "Refresh the progress" in page
    assert "50 of 100" in page and "Time left" in page


def test_publish_button_publishes_every_thread(client, alice, ready):
    client.force_login(alice)
    response = client.post(reverse("archive_import_publish", args=[ready.community.slug, ready.pk]))
    assert response.status_code == 302
    assert not Thread.objects.filter(is_unpublished=True).exists()
    assert "Published: 2 threads" in client.get(response.url).content.decode()


def test_publishing_twice_says_it_cannot(client, alice, ready):
    client.force_login(alice)
    url = reverse("archive_import_publish", args=[ready.community.slug, ready.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Only a finished import can be published" in response.content.decode()


def test_remove_button_removes_the_import(client, alice, ready):
    client.force_login(alice)
    response = client.post(reverse("archive_import_remove", args=[ready.community.slug, ready.pk]))
    assert response.status_code == 302 and response.url == list_url(ready.community)
    assert not Thread.objects.exists() and not ArchiveImport.objects.exists()


def test_resume_button_carries_on_a_stopped_import(client, alice, community, committed):
    batch = archive_services.archive_import_start(
        community=community,
        by=alice,
        upload=SimpleUploadedFile("list.mbox", samples.mbox(samples.EVERYTHING)),
        enqueue=False,
    )
    ArchiveImport.objects.filter(pk=batch.pk).update(status="failed", error="The import stopped")
    client.force_login(alice)
    with committed():
        response = client.post(reverse("archive_import_resume", args=[community.slug, batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "ready" and batch.posts_made == 7


def test_progress_page_query_count_is_pinned(client, alice, ready, django_assert_num_queries):
    client.force_login(alice)
    client.get(detail_url(ready))
    # The same however many threads the import made (the preview lists up to 50).
    with django_assert_num_queries(8):
        client.get(detail_url(ready))


def test_an_unpublished_thread_says_so_to_facilitators_until_published(client, alice, ready):
    thread = Thread.objects.get(title="Storm naming guidance")
    client.force_login(alice)
    notice = "comes from an archive import that is not published yet"
    assert notice in client.get(thread.get_absolute_url()).content.decode()
    archive_services.archive_import_publish(batch=ready, by=alice)
    assert notice not in client.get(thread.get_absolute_url()).content.decode()
