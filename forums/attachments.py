"""Which files a post may carry, decided by what is inside them, never by their name."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from core.uploads import Refused, bounded_zip, probe_image, read_zip_entry

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_POST = 5
# A 48-megapixel camera photo fits; readers' browsers decode every pixel we accept.
MAX_IMAGE_PIXELS = 50_000_000
# An Office package's manifest names each part in a line or two: far less than this.
MAX_MANIFEST_BYTES = 1024 * 1024

IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
# The main part's content type inside an Office Open XML package says what the document is.
OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
ACCEPTED = "PDF, Word, Excel or PowerPoint documents, or PNG, JPEG, GIF or WebP images"


def _office_type(upload) -> tuple[str, str] | None:
    with bounded_zip(upload) as package:
        manifest = read_zip_entry(package, "[Content_Types].xml", limit=MAX_MANIFEST_BYTES)
    text = manifest.decode("utf-8", "replace")
    for main_part, found in OFFICE_TYPES.items():
        if main_part in text:
            return found
    return None


def _image_type(upload) -> tuple[str, str]:
    image_format = probe_image(upload, formats=set(IMAGE_TYPES), max_pixels=MAX_IMAGE_PIXELS)
    return IMAGE_TYPES[image_format], image_format.lower().replace("jpeg", "jpg")


def detect_type(upload) -> tuple[str, str] | None:
    """(content type, extension) for an accepted file, judged by its content; else None.
    Raises Refused (core.uploads) when the file would unpack to more than we read."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "application/pdf", "pdf"
        if head.startswith(b"PK\x03\x04"):
            return _office_type(upload)
        return _image_type(upload)
    except Refused as refusal:
        if refusal.code in {"zip_too_large", "image_too_large"}:
            raise
        return None
    finally:
        upload.seek(0)


def safe_filename(name: str, extension: str) -> str:
    """A display name for the download: the member's name, tidied, with the true extension."""
    base = re.split(r"[/\\]", name)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^\w-]+", "_", stem.strip()).strip("_.")[:100]
    return f"{stem or 'file'}.{extension}"


def check_upload(upload) -> tuple[str, str]:
    """Validate one uploaded file; returns (content type, download file name)."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"{upload.name} is larger than 10 MB. Choose a smaller file.", code="too_big")
    try:
        found = detect_type(upload)
    except Refused as refusal:
        if refusal.code == "image_too_large":
            millions = MAX_IMAGE_PIXELS // 1_000_000
            raise ValidationError(
                f"{upload.name} has more than {millions} million pixels. Choose a smaller picture.",
                code="too_many_pixels",
            ) from refusal
        raise ValidationError(
            f"{upload.name} is too large to check once unpacked. Choose a smaller file, or save it as a PDF.",
            code="too_big_unpacked",
        ) from refusal
    if found is None:
        raise ValidationError(f"{upload.name} is not a file we accept. Attach {ACCEPTED}.", code="wrong_type")
    content_type, extension = found
    return content_type, safe_filename(upload.name, extension)


def check_uploads(uploads) -> list[tuple]:
    """Validate a post's files together (count, then each one's size and content);
    returns (file, content type, download name) triples or raises every problem at once."""
    if len(uploads) > MAX_ATTACHMENTS_PER_POST:
        raise ValidationError(f"Attach up to {MAX_ATTACHMENTS_PER_POST} files.", code="too_many")
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append((upload, *check_upload(upload)))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return checked
