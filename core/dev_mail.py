"""Read the copies of development email that core.mail.ConsoleAndFileBackend saves,
for the DEBUG-only /dev/emails/ page."""

import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Our file backend (core.mail) names files "<date>-<time>-<number>-<random hex>.log".
FILE_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9]+(-[0-9a-f]{8})?\.log$")
# ...and ends every message with a line of 79 dashes.
SEPARATOR = re.compile(rb"^-{79}$", re.MULTILINE)


@dataclass(frozen=True)
class SavedEmail:
    subject: str
    to: str
    sender: str
    date: str
    text: str


def email_folder() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


def saved_email_files() -> list[Path]:
    """Saved email files, newest first."""
    folder = email_folder()
    if not folder.is_dir():
        return []
    files = [path for path in folder.iterdir() if FILE_NAME.match(path.name) and path.is_file()]
    return sorted(files, key=lambda path: (path.stat().st_mtime, path.name), reverse=True)


def saved_email_file(name: str) -> Path | None:
    """The saved file called `name`, or None. Only names the backend writes are accepted."""
    if not FILE_NAME.match(name):
        return None
    path = email_folder() / name
    return path if path.is_file() else None


def read_emails(path: Path) -> list[SavedEmail]:
    emails = []
    for chunk in SEPARATOR.split(path.read_bytes()):
        if not chunk.strip():
            continue
        message = email.message_from_bytes(chunk.strip(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        emails.append(
            SavedEmail(
                subject=str(message["subject"] or "(no subject)"),
                to=str(message["to"] or ""),
                sender=str(message["from"] or ""),
                date=str(message["date"] or ""),
                text=body.get_content() if body is not None else "",
            )
        )
    return emails
