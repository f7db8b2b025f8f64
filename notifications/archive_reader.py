"""Reading a mailing-list archive one message at a time: an mbox file (offsets found
by one pass over the file, each message read on its own) or a zip of .eml files
(opened through core.uploads' bounded checks). Nothing holds the whole archive."""

from __future__ import annotations

import mailbox
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.uploads import Refused, bounded_zip, read_zip_entry

# The largest archive the upload page takes; bigger ones are split or given to a site
# admin to run `manage.py import_mbox` on the server.
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
# One message with its attachments, as the inbound path would accept it by email.
MAX_MESSAGE_BYTES = 30 * 1024 * 1024
# A zip of .eml files: up to this many messages and this much once unpacked.
MAX_ZIP_MESSAGES = 50_000
MAX_ZIP_UNPACKED = 4 * 1024 * 1024 * 1024

MBOX, ZIP = "mbox", "zip"
NOT_AN_ARCHIVE = "The selected file must be an mbox file or a zip of .eml files"


class ArchiveRefused(Exception):  # noqa: N818 (a refusal, not a fault)
    """Why the archive as a whole cannot be read, in words for the importer."""


def sniff(upload) -> str:
    """MBOX or ZIP, judged from the first bytes; ArchiveRefused otherwise."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if not head:
        raise ArchiveRefused("The selected file is empty")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return ZIP
    if head == b"From ":
        return MBOX
    raise ArchiveRefused(NOT_AN_ARCHIVE)


@contextmanager
def local_path(field_file) -> Iterator[Path]:
    """A path on this machine for a stored file (object storage is copied to a temporary
    file in blocks), as mailbox reads by path."""
    try:
        yield Path(field_file.path)
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=".archive") as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)


class Archive:
    """Messages of an archive by key (an mbox offset index, or a zip entry name)."""

    def __init__(self, path: Path):
        self.path = path
        with open(path, "rb") as handle:
            self.kind = sniff(handle)
        self._mbox = None
        self._zip_file = None
        self._zip = None
        self._zip_context = None

    def __enter__(self) -> Archive:
        if self.kind == MBOX:
            self._mbox = mailbox.mbox(self.path, create=False)
        else:
            self._zip_file = open(self.path, "rb")  # noqa: SIM115 (closed in __exit__)
            self._zip_context = bounded_zip(
                self._zip_file, max_entries=MAX_ZIP_MESSAGES, max_unpacked=MAX_ZIP_UNPACKED
            )
            try:
                self._zip = self._zip_context.__enter__()
            except Refused as refusal:
                self._zip_file.close()
                raise ArchiveRefused(
                    "The zip file could not be opened, or unpacks to more than we can import at once. "
                    "Check it opens on your computer, or split it into smaller files"
                    if refusal.code == "zip_too_large"
                    else NOT_AN_ARCHIVE
                ) from refusal
        return self

    def __exit__(self, *exc) -> None:
        if self._mbox is not None:
            self._mbox.close()
        if self._zip_context is not None:
            self._zip_context.__exit__(None, None, None)
            self._zip_file.close()

    def keys(self) -> list:
        if self._mbox is not None:
            return list(self._mbox.iterkeys())
        names = [
            info.filename
            for info in self._zip.infolist()
            if not info.is_dir()
            and info.filename.lower().endswith(".eml")
            and not info.filename.startswith("__MACOSX/")
        ]
        return sorted(names)

    def size_of(self, key) -> int:
        if self._mbox is not None:
            # mailbox keeps each message's offsets (its table of contents) but has no
            # public size: read it there rather than load a huge message to measure it.
            start, stop = self._mbox._toc[key]
            return stop - start
        return self._zip.getinfo(key).file_size

    def read(self, key) -> bytes:
        """One message's bytes; ArchiveRefused for one too large or unreadable."""
        if self.size_of(key) > MAX_MESSAGE_BYTES:
            raise ArchiveRefused(f"it is larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB")
        if self._mbox is not None:
            return self._mbox.get_bytes(key)  # without the "From " envelope line
        try:
            return read_zip_entry(self._zip, key, limit=MAX_MESSAGE_BYTES)
        except Refused as refusal:
            raise ArchiveRefused("it could not be unpacked from the zip file") from refusal
