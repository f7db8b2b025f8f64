"""Avatar uploads: checked by content (Pillow, through core.uploads' bounded probe), not
by name or declared type, then cropped to a small square JPEG so nothing the member sent
is ever served."""

from io import BytesIO
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from core.uploads import Refused, probe_image

MAX_AVATAR_BYTES = 2 * 1024 * 1024
AVATAR_SIZE = 256
# Refuse absurd dimensions before decoding: a small file can still expand hugely.
MAX_AVATAR_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
NOT_A_PHOTO = "The selected file must be a photo (JPG, PNG, GIF or WebP)"


def process_avatar(upload) -> ContentFile:
    """A square AVATAR_SIZE JPEG made from `upload`, or ValidationError."""
    if upload.size > MAX_AVATAR_BYTES:
        raise ValidationError("The photo must be smaller than 2MB", code="too_big")
    try:
        probe_image(upload, formats=ACCEPTED_FORMATS, max_pixels=MAX_AVATAR_PIXELS)
    except Refused as refusal:
        if refusal.code == "image_too_large":
            raise ValidationError("The photo is too large: use a smaller picture", code="too_large") from refusal
        raise ValidationError(NOT_A_PHOTO, code="not_image") from refusal
    try:
        with Image.open(upload, formats=sorted(ACCEPTED_FORMATS)) as image:
            # A JPEG decodes at a fraction of its size when that still covers the square.
            image.draft(None, (AVATAR_SIZE * 2, AVATAR_SIZE * 2))
            image.load()
            square = ImageOps.fit(ImageOps.exif_transpose(image).convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(NOT_A_PHOTO, code="not_image") from error
    output = BytesIO()
    square.save(output, format="JPEG", quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid4().hex}.jpg")
