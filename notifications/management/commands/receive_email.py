"""An MTA pipe: `manage.py receive_email < message.eml` posts a reply by email. Exits 0
for any message handled, refused ones included (we bounce those ourselves where it is
safe), and with sysexits.h codes the MTA acts on otherwise: README, "Email in and out"."""

import email
import logging
import sys
from email import policy
from email.errors import MessageError

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError

from notifications.inbound import receive

MAX_BYTES = 30 * 1024 * 1024
EX_DATAERR = 65
EX_UNAVAILABLE = 69
EX_TEMPFAIL = 75

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Read one RFC 822 email message on standard input and post it."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            self.stderr.write(f"Message refused: larger than {MAX_BYTES // (1024 * 1024)} MB.")
            sys.exit(EX_UNAVAILABLE)
        message = email.message_from_bytes(raw, policy=policy.default)
        if not raw.strip() or not message.keys() or not message.get("From"):
            self.stderr.write("Message refused: not an email message (no headers or no From).")
            sys.exit(EX_DATAERR)
        try:
            outcome = receive(message, raw=raw)
        except (OperationalError, InterfaceError):
            logger.exception("Inbound message deferred: the database is unavailable")
            self.stderr.write("Database unavailable; try again later.")
            sys.exit(EX_TEMPFAIL)
        except (ValueError, LookupError, UnicodeError, IndexError, MessageError):
            # A message malformed in a way the email package only finds on reading it.
            logger.exception("Inbound message refused as malformed")
            self.stderr.write("Message refused: malformed.")
            sys.exit(EX_DATAERR)
        self.stdout.write(f"{outcome.status}{': ' + outcome.reason if outcome.reason else ''}")
