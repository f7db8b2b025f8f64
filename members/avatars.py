"""Avatar uploads: checked by content (Pillow), not by name or declared type, then
cropped to a small square JPEG so nothing the member sent is ever served."""

from io import BytesIO
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_AVATAR_BYTES = 2 * 1024 * 1024
AVATAR_SIZE = 256
# Refuse absurd dimensions before decoding: a small file can still expand hugely.
MAX_AVATAR_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def process_avatar(upload) -> ContentFile:
    """A square AVATAR_SIZE JPEG made from `upload`, or ValidationError."""
    if upload.size > MAX_AVATAR_BYTES:
        raise ValidationError("The photo must be smaller than 2MB", code="too_big")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError("The photo must be a JPG, PNG, GIF or WebP", code="format")
            if probe.width * probe.height > MAX_AVATAR_PIXELS:
                raise ValidationError("The photo is too large: use a smaller picture", code="too_large")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            square = ImageOps.fit(ImageOps.exif_transpose(image).convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE))
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError("The selected file must be a photo (JPG, PNG, GIF or WebP)", code="not_image") from error
    output = BytesIO()
    square.save(output, format="JPEG", quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid4().hex}.jpg")
