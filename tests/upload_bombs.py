"""Small files that declare or expand to a great deal, built in memory for the upload tests.

Zips are written byte by byte (local headers, central directory, end record), so a test
can make an honest bomb cheaply, or a header that lies."""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

MIB = 1024 * 1024
DOCX_MANIFEST = (
    b'<Types><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


@cache
def zeros_deflated(mib: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of `mib` MiB of zero bytes, made from one compressed
    MiB repeated: a full flush resets the compressor, so every MiB compresses the same."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zero_mib = bytes(MIB)
    for _ in range(mib):
        crc = zlib.crc32(zero_mib, crc)
    return block * mib + compressor.flush(), crc


def entry(name: str, data: bytes, *, size: int | None = None, crc: int | None = None, method: int = 0) -> dict:
    """One zip entry: `data` as stored in the file; `size` and `crc` as declared."""
    return {
        "name": name.encode(),
        "data": data,
        "size": len(data) if size is None else size,
        "crc": zlib.crc32(data) if crc is None else crc,
        "method": method,
    }


def deflated(name: str, content: bytes) -> dict:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = compressor.compress(content) + compressor.flush()
    return entry(name, stream, size=len(content), crc=zlib.crc32(content), method=8)


def craft_zip(entries: list[dict]) -> bytes:
    out, directory = io.BytesIO(), io.BytesIO()
    for item in entries:
        offset = out.tell()
        fields = (20, 0, item["method"], 0, 0x21, item["crc"], len(item["data"]), item["size"], len(item["name"]), 0)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + item["name"] + item["data"])
        directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + item["name"])
    start = out.tell()
    out.write(directory.getvalue())
    count = len(entries)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory.getvalue()), start, 0))
    return out.getvalue()


def docx_bomb(gib: int = 2) -> bytes:
    """A .docx whose [Content_Types].xml honestly expands to `gib` GiB of zeros."""
    stream, crc = zeros_deflated(gib * 1024)
    return craft_zip(
        [
            entry("[Content_Types].xml", stream, size=gib * 1024 * MIB, crc=crc, method=8),
            deflated("word/document.xml", b"<w:document/>"),
        ]
    )


def png_bomb(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of width × height pixels, a few kilobytes on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">L", len(data)) + kind + data + struct.pack(">L", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then one bit a pixel
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">2L5B", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
