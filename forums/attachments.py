"""Which files a post may carry, decided by what is inside them, never by their name."""

from __future__ import annotations

import re
import zipfile

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_POST = 5

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
    try:
        with zipfile.ZipFile(upload) as package:
            manifest = package.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    for main_part, found in OFFICE_TYPES.items():
        if main_part in manifest:
            return found
    return None


def _image_type(upload) -> tuple[str, str] | None:
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if image_format not in IMAGE_TYPES:
        return None
    return IMAGE_TYPES[image_format], image_format.lower().replace("jpeg", "jpg")


def detect_type(upload) -> tuple[str, str] | None:
    """(content type, extension) for an accepted file, judged by its content; else None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        found = ("application/pdf", "pdf")
    elif head.startswith(b"PK\x03\x04"):
        found = _office_type(upload)
    else:
        found = _image_type(upload)
    upload.seek(0)
    return found


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
    found = detect_type(upload)
    if found is None:
        raise ValidationError(f"{upload.name} is not a file we accept. Attach {ACCEPTED}.", code="wrong_type")
    content_type, extension = found
    return content_type, safe_filename(upload.name, extension)
