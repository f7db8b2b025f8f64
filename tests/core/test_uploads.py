"""core.uploads: what a zip or an image declares is checked before it is read, and
reading goes through hard caps, so a small file cannot cost much memory."""

import contextlib
import io
import os
import random
import struct
import tracemalloc
import zipfile
from unittest import mock

import pytest
from PIL import Image

from core.uploads import (
    MAX_ZIP_ENTRIES,
    Refused,
    bounded_zip,
    probe_image,
    read_capped,
    read_zip_entry,
)
from tests.upload_bombs import DOCX_MANIFEST, MIB, craft_zip, deflated, entry, png_bomb, zeros_deflated

IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def peak_memory(action) -> int:
    """Bytes allocated at the busiest moment of `action` (which may raise Refused)."""
    tracemalloc.start()
    try:
        action()
    except Refused:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def refusal(action) -> str:
    with pytest.raises(Refused) as raised:
        action()
    return raised.value.code


def open_and_read(data: bytes, name: str = "[Content_Types].xml", limit: int = MIB) -> bytes:
    with bounded_zip(io.BytesIO(data)) as package:
        return read_zip_entry(package, name, limit=limit)


def test_an_ordinary_zip_entry_is_read():
    data = craft_zip([deflated("[Content_Types].xml", DOCX_MANIFEST), deflated("word/document.xml", b"<w/>")])
    assert open_and_read(data) == DOCX_MANIFEST


def test_a_zip_with_too_many_entries_is_refused_before_zipfile_reads_its_directory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for number in range(MAX_ZIP_ENTRIES + 1):
            package.writestr(f"p{number}", b"")
    with mock.patch("core.uploads.zipfile.ZipFile") as zip_file:
        assert refusal(lambda: open_and_read(buffer.getvalue())) == "zip_too_large"
    zip_file.assert_not_called()


def test_a_zip64_end_record_claiming_too_many_entries_is_refused_before_zipfile_reads_it():
    data = craft_zip([deflated("[Content_Types].xml", DOCX_MANIFEST)])
    body, end = data[:-22], data[-22:]
    size, offset = struct.unpack("<2L", end[12:20])  # of the central directory
    entries = 100_000  # zipfile takes the zip64 record's counts over the plain end record's
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(body), 1)
    with mock.patch("core.uploads.zipfile.ZipFile") as zip_file:
        assert refusal(lambda: open_and_read(body + record + locator + end)) == "zip_too_large"
    zip_file.assert_not_called()


def test_a_zip_declaring_more_unpacked_bytes_than_the_cap_is_refused():
    # Each part claims 80 MB from 1 MB (under the ratio limit); together they claim 240 MB.
    parts = [entry(f"part{n}.bin", os.urandom(MIB), size=80 * MIB, method=8) for n in range(3)]
    assert refusal(lambda: open_and_read(craft_zip(parts))) == "zip_too_large"


def test_a_zip_entry_compressed_beyond_the_ratio_limit_is_refused():
    stream, crc = zeros_deflated(64)  # 64 MiB of zeros in about 64 KB
    data = craft_zip([entry("[Content_Types].xml", stream, size=64 * MIB, crc=crc, method=8)])
    assert refusal(lambda: open_and_read(data)) == "zip_too_large"


def test_a_small_zip_entry_may_compress_beyond_the_ratio_limit():
    data = craft_zip([deflated("[Content_Types].xml", bytes(512 * 1024))])
    assert open_and_read(data) == bytes(512 * 1024)


def test_a_zip_entry_compressed_with_bzip2_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_BZIP2) as package:
        package.writestr("[Content_Types].xml", DOCX_MANIFEST)
    assert refusal(lambda: open_and_read(buffer.getvalue())) == "not_zip"


def test_a_zip_entry_is_read_no_further_than_the_cap():
    # 9 MB honestly stored: within every declared limit, so only the read cap stops it.
    data = craft_zip([entry("[Content_Types].xml", bytes(9 * MIB))])
    assert refusal(lambda: open_and_read(data)) == "zip_too_large"
    assert peak_memory(lambda: open_and_read(data)) < 3 * MIB


def test_a_missing_zip_entry_is_refused_as_not_a_zip_we_accept():
    data = craft_zip([deflated("word/document.xml", b"<w/>")])
    assert refusal(lambda: open_and_read(data)) == "not_zip"


def test_a_file_without_a_zip_end_record_is_refused():
    assert refusal(lambda: open_and_read(b"PK\x03\x04" + bytes(100))) == "not_zip"


def damaged(data: bytes, seed: int) -> bytes:
    """`data` with a few bytes changed and sometimes cut short, the same for a given seed."""
    chance = random.Random(seed)
    changed = bytearray(data)
    for _ in range(chance.randint(1, 6)):
        changed[chance.randrange(len(changed))] = chance.randrange(256)
    return bytes(changed[: chance.randrange(len(changed))] if chance.random() < 0.2 else changed)


def test_damaged_zips_are_refused_and_never_raise_anything_else():
    data = craft_zip([deflated("[Content_Types].xml", DOCX_MANIFEST * 50), deflated("word/document.xml", b"<w/>")])
    for seed in range(2000):
        with contextlib.suppress(Refused):
            open_and_read(damaged(data, seed))


def test_damaged_images_are_refused_and_never_raise_anything_else():
    for image_format in sorted(IMAGE_FORMATS):
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20), "red").save(buffer, image_format)
        for seed in range(250):
            with contextlib.suppress(Refused):
                probe_image(io.BytesIO(damaged(buffer.getvalue(), seed)), formats=IMAGE_FORMATS, max_pixels=10_000)


def test_an_image_over_the_pixel_limit_is_refused_without_decoding_it():
    bomb = io.BytesIO(png_bomb(8000, 8000))  # 64 megapixels, 8 KB on disk

    def probe():
        probe_image(bomb, formats=IMAGE_FORMATS, max_pixels=50_000_000)

    assert refusal(probe) == "image_too_large"
    assert peak_memory(probe) < MIB


def test_an_image_pillow_itself_calls_a_bomb_is_refused_as_too_large():
    bomb = io.BytesIO(png_bomb(20000, 20000))
    assert refusal(lambda: probe_image(bomb, formats=IMAGE_FORMATS, max_pixels=50_000_000)) == "image_too_large"


def test_an_image_within_the_limit_gives_its_format():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "WEBP")
    assert probe_image(buffer, formats=IMAGE_FORMATS, max_pixels=50_000_000) == "WEBP"


def test_an_image_in_a_format_not_listed_is_not_opened():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "BMP")
    assert refusal(lambda: probe_image(buffer, formats=IMAGE_FORMATS, max_pixels=50_000_000)) == "not_image"


def test_read_capped_gives_a_file_within_the_limit():
    assert read_capped(io.BytesIO(b"name,email\n"), 100) == b"name,email\n"


def test_read_capped_refuses_a_file_over_the_limit():
    assert refusal(lambda: read_capped(io.BytesIO(bytes(101)), 100)) == "too_large"
