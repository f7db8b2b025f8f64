"""`manage.py send_digests --daily` (or --weekly), from cron. Safe to run twice: each
member's digest for a period is one delivery record, unique by (member, key)."""

from django.core.management.base import BaseCommand

from notifications.delivery import deliver_pending
from notifications.digests import digests_queue


class Command(BaseCommand):
    help = "Queue and send daily or weekly digests."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--daily", action="store_const", dest="mode", const="daily")
        group.add_argument("--weekly", action="store_const", dest="mode", const="weekly")

    def handle(self, *args, mode, **options):
        queued = digests_queue(mode=mode)
        sent = deliver_pending(limit=100_000)
        self.stdout.write(f"Queued {queued} {mode} digests; sent {sent} emails.")
