"""An MTA pipe: `manage.py receive_email < message.eml` posts a reply by email.

Exit status (sysexits.h; the README's "Email in" section lists them for the MTA):
0 whenever the message was handled (posted, held for the member's confirmation,
already seen, or refused, with a bounce where one is safe), so the MTA does not
bounce it a second time; 65 (EX_DATAERR) for a message that is not one (empty, or no
usable headers) and 69 (EX_UNAVAILABLE) for one over MAX_BYTES: both permanent, so
the MTA bounces them rather than retrying; 75 (EX_TEMPFAIL) only when the database
cannot be reached, which is worth retrying."""

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
