"""How long does importing a mailing-list archive take, and does memory stay flat?

    DATABASE_URL=postgres://… .venv/bin/python scripts/bench_archive_import.py [MESSAGES]

Writes an mbox of MESSAGES (default 10,000) generated messages — conversations of one
to eight messages, plain, quoted-printable windows-1252, base64 and HTML bodies, with
quoted history and signatures to strip, some replies without References and some
duplicates — imports it into a community of its own exactly as the task worker does
(notifications.archive_import.import_run), then prints the time taken and the
process's peak memory, and removes what it made. Run it on a database you can write
to (the migrations must be applied); it is not a timed test.
"""

from __future__ import annotations

import base64
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commsnet.settings")

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402

from communities.models import Community  # noqa: E402
from members.models import User  # noqa: E402
from notifications.archive_import import import_run  # noqa: E402
from notifications.archive_services import archive_import_remove  # noqa: E402
from notifications.models import ArchiveImport  # noqa: E402

WORDS = [
    "press",
    "release",
    "embargo",
    "statement",
    "holding",
    "line",
    "election",
    "period",
    "comments",
    "social",
    "media",
    "flood",
    "warning",
    "council",
    "briefing",
    "journalist",
    "interview",
    "spokesperson",
    "campaign",
    "accessibility",
    "translation",
    "welsh",
]


def _text(seed: int, length: int = 60) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length))


def _message(number: int, conversation: int, position: int, start: datetime) -> bytes:
    date = start + timedelta(hours=conversation * 3, minutes=position * 17)
    subject = f"Question {conversation}: {WORDS[conversation % len(WORDS)]} {WORDS[(conversation * 5) % len(WORDS)]}"
    headers = [
        f"From: Person {number % 300} <person{number % 300}@council{number % 40}.gov.uk>",
        "To: list@lists.example.gov.uk",
        f"Date: {format_datetime(date)}",
        f"Message-ID: <m{conversation}.{position}@bench.example>",
    ]
    if position == 0:
        headers.append(f"Subject: [bench-list] {subject}")
    else:
        headers.append(f"Subject: Re: [bench-list] {subject}")
        parent = position - 1 if position % 3 else 0
        if position % 5 != 4:  # every fifth reply lost its threading headers
            refs = " ".join(f"<m{conversation}.{p}@bench.example>" for p in range(parent + 1))
            headers += [f"In-Reply-To: <m{conversation}.{parent}@bench.example>", f"References: {refs}"]
    body = _text(number) + "\n\nKind regards,\nPerson\nPress office\n01234 567890\n\n"
    body += "On Mon, 2 Mar 2020 at 09:00, Someone <someone@example.gov.uk> wrote:\n> earlier words\n"
    kind = number % 4
    if kind == 0:
        headers.append("Content-Type: text/plain; charset=utf-8")
        payload = body.encode()
    elif kind == 1:
        headers += ["Content-Type: text/plain; charset=windows-1252", "Content-Transfer-Encoding: quoted-printable"]
        payload = body.replace("Kind regards", "Kind regards =96 thanks").encode()
    elif kind == 2:
        headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"]
        payload = base64.encodebytes(body.encode())
    else:
        headers.append("Content-Type: text/html; charset=utf-8")
        payload = f"<html><body><p>{_text(number)}</p><div class='gmail_quote'>quoted</div></body></html>".encode()
    return ("\n".join(headers) + "\n\n").encode() + payload


def write_mbox(path: Path, messages: int) -> None:
    start = datetime(2019, 1, 1, tzinfo=UTC)
    written = conversation = 0
    with open(path, "wb") as out:
        while written < messages:
            for position in range(1 + conversation % 8):
                if written >= messages:
                    break
                raw = _message(written, conversation, position, start)
                copies = 2 if written % 97 == 0 else 1  # a few cross-posted duplicates
                for _ in range(copies):
                    out.write(b"From bench@example Mon Jan  1 00:00:00 2019\n" + raw + b"\n\n")
                written += 1
            conversation += 1


def main() -> None:
    messages = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    importer, _ = User.objects.get_or_create(
        username="bench-importer", defaults={"email": "bench-importer@example.gov.uk", "is_staff": True}
    )
    importer.is_superuser = True
    importer.save(update_fields=["is_superuser"])
    community, _ = Community.objects.get_or_create(slug="bench-archive", defaults={"name": "Bench archive"})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.mbox"
        write_mbox(path, messages)
        size = path.stat().st_size
        with open(path, "rb") as handle:
            batch = ArchiveImport.objects.create(community=community, created_by=importer, filename="bench.mbox")
            batch.archive.save("archive", File(handle), save=True)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        batch = import_run(batch_id=batch.pk)
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"Archive: {messages:,} messages (+ duplicates), {size / 1024 / 1024:.1f} MB")
    print(
        f"Imported in {elapsed:.1f} s ({batch.messages_read / elapsed:.0f} messages/s): "
        f"{batch.threads_made} threads, {batch.posts_made} posts, {batch.duplicates} duplicates, "
        f"{batch.refused} refused; status {batch.status}"
    )
    print(f"Peak memory: {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after")
    batch.community = community
    archive_import_remove(batch=batch, by=importer)


if __name__ == "__main__":
    main()
