"""An MTA pipe: `manage.py receive_email < message.eml` posts a reply by email.

Exit status 0 whenever the message was handled (posted, already seen, or refused
with a bounce to the sender), so the MTA does not bounce it a second time."""

import email
import sys
from email import policy

from django.core.management.base import BaseCommand

from notifications.inbound import receive

MAX_BYTES = 30 * 1024 * 1024


class Command(BaseCommand):
    help = "Read one RFC 822 email message on standard input and post it."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            self.stderr.write("Message too large.")
            sys.exit(75)  # EX_TEMPFAIL would retry; the MTA should bounce instead
        message = email.message_from_bytes(raw, policy=policy.default)
        outcome = receive(message, raw=raw)
        self.stdout.write(f"{outcome.status}{': ' + outcome.reason if outcome.reason else ''}")
