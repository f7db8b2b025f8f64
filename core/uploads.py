"""Reading what people upload without letting a small file cost a worker its memory: a few
megabytes of zip or image can declare, or expand to, gigabytes. Every path that accepts
files reads them only through these helpers, which check what a file declares first and
then read through hard caps, never a whole entry or a whole image at once."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, UnidentifiedImageError

# Office documents under 10 MB have tens to a few thousand parts.
MAX_ZIP_ENTRIES = 5000
# The central directory of that many parts with ordinary names; zipfile reads it whole.
MAX_ZIP_DIRECTORY_BYTES = 2 * 1024 * 1024
# All parts together, once unpacked: a large spreadsheet's XML is about ten times its zip.
MAX_ZIP_UNPACKED_BYTES = 200 * 1024 * 1024
# Deflate reaches about 1000:1 on repeated bytes; real documents stay far below 100:1
# (Apache POI refuses the same). Small parts may compress better harmlessly.
MAX_ZIP_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024
# Office uses only these; bzip2 and lzma would decompress without an output cap.
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}

# What zipfile and zlib raise on a damaged, truncated, encrypted or exotic archive.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    RuntimeError,
    NotImplementedError,
)
_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


class Refused(Exception):  # noqa: N818 (a refusal, not a fault)
    """A file we will not look further into. `code`: too_large, not_zip, zip_too_large,
    not_image or image_too_large."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def read_capped(upload, limit: int) -> bytes:
    """At most `limit` bytes from the start of `upload`; Refused('too_large') if there are more."""
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Refused("too_large")
    return data


def _read_at(upload, position: int, size: int) -> bytes:
    upload.seek(position)
    return upload.read(size)


def _directory_size(upload) -> tuple[int, int]:
    """(entries, central directory bytes) as the end record declares them, found the way
    zipfile finds it, so nothing is read before the counts are known."""
    upload.seek(0, 2)
    length = upload.tell()
    start = max(0, length - 0xFFFF - _END.size)
    tail = _read_at(upload, start, length - start)
    last = tail[-_END.size :]
    if last[:4] == _END_SIGNATURE and last[-2:] == b"\0\0":
        at = len(tail) - _END.size
    else:
        at = tail.rfind(_END_SIGNATURE)
    if at < 0 or at + _END.size > len(tail):
        raise Refused("not_zip")
    fields = _END.unpack_from(tail, at)
    entries, directory = fields[4], fields[5]
    # A zip64 locator just before the end record replaces its counts (as zipfile does).
    end_at = start + at
    if end_at >= _ZIP64_LOCATOR.size:
        locator = _read_at(upload, end_at - _ZIP64_LOCATOR.size, _ZIP64_LOCATOR.size)
        if locator[:4] == b"PK\x06\x07":
            record_at = end_at - _ZIP64_LOCATOR.size - _ZIP64_END.size
            record = _read_at(upload, record_at, _ZIP64_END.size) if record_at >= 0 else b""
            if len(record) == _ZIP64_END.size and record[:4] == b"PK\x06\x06":
                zip64 = _ZIP64_END.unpack(record)
                entries, directory = zip64[7], zip64[8]
    return entries, directory


def _check_declared(package: zipfile.ZipFile, max_entries: int, max_unpacked: int) -> None:
    infos = package.infolist()
    if len(infos) > max_entries:
        raise Refused("zip_too_large")
    total = 0
    for info in infos:
        if info.compress_type not in ZIP_METHODS:
            raise Refused("not_zip")
        total += info.file_size
        ratio_exceeded = info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
        if total > max_unpacked or (info.file_size > ZIP_RATIO_FLOOR and ratio_exceeded):
            raise Refused("zip_too_large")


@contextmanager
def bounded_zip(
    upload, *, max_entries: int = MAX_ZIP_ENTRIES, max_unpacked: int = MAX_ZIP_UNPACKED_BYTES
) -> Iterator[zipfile.ZipFile]:
    """`upload` opened as a zip archive, once its entry count, directory size, declared
    unpacked sizes, compression ratios and methods are all within bounds; else Refused.
    The limits default to an office document's; a mail archive asks for more entries."""
    try:
        entries, directory = _directory_size(upload)
        if entries > max_entries or directory > max(MAX_ZIP_DIRECTORY_BYTES, max_entries * 400):
            raise Refused("zip_too_large")
        upload.seek(0)
        package = zipfile.ZipFile(upload)
    except _DAMAGED as error:
        raise Refused("not_zip") from error
    with package:
        _check_declared(package, max_entries, max_unpacked)
        yield package


def read_zip_entry(package: zipfile.ZipFile, name: str, *, limit: int) -> bytes:
    """The entry's bytes, decompressed a block at a time and never past `limit` whatever
    its header says; Refused('zip_too_large') if it holds more, 'not_zip' if it is missing
    or unreadable (encrypted, corrupt)."""
    try:
        with package.open(name) as stream:
            data = stream.read(limit + 1)
    except _DAMAGED as error:
        raise Refused("not_zip") from error
    if len(data) > limit:
        raise Refused("zip_too_large")
    return data


def probe_image(upload, *, formats: set[str], max_pixels: int) -> str:
    """The image's format, judged from its header and checked without decoding its
    pixels; Refused('image_too_large') past `max_pixels`, 'not_image' otherwise."""
    upload.seek(0)
    try:
        # Only the formats we accept are tried, so no other decoder sees the file.
        with Image.open(upload, formats=sorted(formats)) as image:
            if image.width * image.height > max_pixels:
                raise Refused("image_too_large")
            image_format = image.format
            image.verify()
    except Image.DecompressionBombError as error:
        raise Refused("image_too_large") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise Refused("not_image") from error
    finally:
        upload.seek(0)
    return image_format
