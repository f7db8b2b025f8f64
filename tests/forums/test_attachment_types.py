import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forums.attachments import OFFICE_TYPES, check_upload
from tests.upload_bombs import MIB, craft_zip, deflated, docx_bomb, png_bomb


def office(main_part: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main_part}"/></Types>')
    return SimpleUploadedFile(name, buffer.getvalue())


def image(image_format: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "red").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize(("main_part", "expected"), list(OFFICE_TYPES.items()))
def test_office_documents_are_recognised_by_their_package(main_part, expected):
    content_type, extension = expected
    assert check_upload(office(main_part, "anything.bin")) == (content_type, f"anything.{extension}")


@pytest.mark.parametrize(
    ("image_format", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif")]
)
def test_images_are_recognised_by_pillow(image_format, content_type):
    assert check_upload(image(image_format, "photo.txt"))[0] == content_type


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("script.pdf", b"<script>alert(1)</script>"),
        SimpleUploadedFile("page.html", b"<!doctype html><html></html>"),
        SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        SimpleUploadedFile("archive.zip", b"PK\x03\x04" + b"\x00" * 30),
        image("BMP", "bitmap.bmp"),
    ],
    ids=["html-named-pdf", "html", "truncated-png", "broken-zip", "bmp"],
)
def test_other_content_is_refused_whatever_its_name(upload):
    with pytest.raises(ValidationError):
        check_upload(upload)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("../../etc/pass wd.exe", "pass_wd.png"), (".hidden", "file.png"), ("Plan (v2).PNG", "Plan_v2.png")],
)
def test_download_name_is_tidied_and_takes_the_true_extension(name, expected):
    upload = image("PNG", "x")
    upload.name = name
    assert check_upload(upload)[1] == expected


def test_docx_whose_manifest_unpacks_to_gigabytes_is_refused_with_bounded_memory():
    bomb = SimpleUploadedFile("plan.docx", docx_bomb())  # 2 MB on disk, 2 GiB unpacked
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            check_upload(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.code == "too_big_unpacked"
    assert peak < MIB


def test_picture_over_50_megapixels_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("map.png", png_bomb(8000, 8000)))
    assert refused.value.messages == ["map.png has more than 50 million pixels. Choose a smaller picture."]


def test_spreadsheet_with_a_large_ordinary_sheet_is_accepted():
    cells = "".join(f'<c r="A{row}"><v>{row * 7919 % 100_003}</v></c>' for row in range(200_000))
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    manifest = f'<Types><Override ContentType="{sheet}"/></Types>'
    package = craft_zip(
        [deflated("[Content_Types].xml", manifest.encode()), deflated("xl/worksheets/sheet1.xml", cells.encode())]
    )
    assert check_upload(SimpleUploadedFile("budget.xlsx", package))[1] == "budget.xlsx"
