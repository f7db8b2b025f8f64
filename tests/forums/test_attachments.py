import io
import tracemalloc
import zipfile

import pytest
from django.contrib.auth import get_user
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from forums.models import Attachment, Post
from tests.factories import form_token
from tests.matrix import client_as
from tests.upload_bombs import MIB, docx_bomb, png_bomb

pytestmark = pytest.mark.django_db

DOCX_TYPES = (
    '<Types><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(name="chart.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def docx(name="plan.docx", types=DOCX_TYPES):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def pdf(name="guide.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def reply_with(client, post, files):
    return client.post(
        reverse("post_reply", kwargs={"pk": post.pk}),
        {"body": "See attached", "attachments": files, "form_token": form_token(get_user(client))},
    )


@pytest.fixture
def opening(thread):
    return thread.posts.get(parent__isnull=True)


def test_pdf_docx_and_image_are_accepted_and_typed_by_content(opening, bob):
    response = reply_with(client_as(bob), opening, [pdf(), docx(), png("picture.pdf")])
    assert response.status_code == 302
    found = {a.filename: a.content_type for a in Attachment.objects.all()}
    assert found == {
        "guide.pdf": "application/pdf",
        "plan.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "picture.png": "image/png",
    }


def test_file_with_a_false_name_is_refused(opening, bob):
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not really a pdf", content_type="application/pdf")
    response = reply_with(client_as(bob), opening, [fake])
    assert response.status_code == 200
    assert "report.pdf is not a file we accept" in response.text
    assert not Post.objects.filter(body="See attached").exists()


def test_zip_that_is_not_an_office_document_is_refused(opening, bob):
    response = reply_with(client_as(bob), opening, [docx("sneaky.docx", types="<Types/>")])
    assert "sneaky.docx is not a file we accept" in response.text


def test_more_than_five_files_are_refused(opening, bob):
    response = reply_with(client_as(bob), opening, [pdf(f"f{n}.pdf") for n in range(6)])
    assert "Attach up to 5 files." in response.text
    assert not Attachment.objects.exists()


def test_files_over_the_size_cap_are_refused(opening, bob, monkeypatch):
    monkeypatch.setattr("forums.attachments.MAX_ATTACHMENT_BYTES", 10)
    response = reply_with(client_as(bob), opening, [pdf()])
    assert "guide.pdf is larger than 10 MB" in response.text


def test_zip_bomb_is_refused_with_a_message_and_bounded_memory(opening, bob):
    bomb = SimpleUploadedFile("plan.docx", docx_bomb(), content_type="application/octet-stream")  # 2 GiB unpacked
    client = client_as(bob)
    tracemalloc.start()
    try:
        response = reply_with(client, opening, [bomb])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert "plan.docx is too large to check once unpacked" in response.text
    assert not Post.objects.filter(body="See attached").exists()
    assert peak < 64 * MIB


def test_picture_over_50_megapixels_is_refused_with_a_message(opening, bob):
    bomb = SimpleUploadedFile("map.png", png_bomb(8000, 8000), content_type="image/png")
    response = reply_with(client_as(bob), opening, [bomb])
    assert response.status_code == 200
    assert "map.png has more than 50 million pixels. Choose a smaller picture." in response.text
    assert not Attachment.objects.exists()


def test_what_was_typed_is_kept_when_a_file_is_refused(opening, bob):
    bomb = SimpleUploadedFile("plan.docx", docx_bomb(), content_type="application/octet-stream")
    response = reply_with(client_as(bob), opening, [bomb])
    assert "See attached</textarea>" in response.text


@pytest.fixture
def attachments(opening, bob):
    reply_with(client_as(bob), opening, [pdf(), png()])
    return {a.content_type: a for a in Attachment.objects.all()}


def test_documents_download_as_attachments(attachments, charlie):
    response = client_as(charlie).get(attachments["application/pdf"].get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="guide.pdf"')
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_images_are_shown_inline(attachments, bob):
    response = client_as(bob).get(attachments["image/png"].get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")


def test_thread_page_lists_attachments(attachments, thread, bob):
    page = client_as(bob).get(thread.get_absolute_url())
    assert attachments["application/pdf"].get_absolute_url() in page.text


def test_attachment_in_private_community_is_404_for_outsiders(private_thread, bob, charlie):
    opening = private_thread.posts.get()
    reply_with(client_as(bob), opening, [pdf()])
    attachment = Attachment.objects.get()
    assert client_as(charlie).get(attachment.get_absolute_url()).status_code == 404
    assert client_as(None).get(attachment.get_absolute_url()).status_code == 404
    assert client_as(bob).get(attachment.get_absolute_url()).status_code == 200


def test_attachment_with_wrong_name_is_404(attachments, bob):
    attachment = attachments["application/pdf"]
    assert client_as(bob).get(reverse("attachment_download", args=[attachment.pk, "x.pdf"])).status_code == 404


def test_attachment_of_deleted_post_is_404(attachments, bob):
    attachment = attachments["application/pdf"]
    client_as(bob).post(reverse("post_delete", kwargs={"pk": attachment.post_id}))
    assert client_as(bob).get(attachment.get_absolute_url()).status_code == 404


def test_attachment_wrong_method_is_405(attachments, bob):
    assert client_as(bob).post(attachments["application/pdf"].get_absolute_url()).status_code == 405


def test_attachment_files_are_not_under_media_url(attachments, bob):
    response = client_as(bob).get("/media/" + attachments["application/pdf"].file.name)
    assert response.status_code == 404


def test_deleting_a_post_removes_its_files(attachments, bob, django_capture_on_commit_callbacks):
    attachment = attachments["application/pdf"]
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client_as(bob).post(reverse("post_delete", kwargs={"pk": attachment.post_id}))
    assert not storage.exists(name)
