"""`manage.py send_facilitator_weekly`, from cron each Monday. Safe to run twice: each
facilitator's email for an ISO week is one delivery record, unique by (member, key)."""

from django.core.management.base import BaseCommand

from notifications.delivery import deliver_pending
from notifications.facilitator_weekly import facilitator_weeklies_queue


class Command(BaseCommand):
    help = "Queue and send this week's summary email to every community's facilitators."

    def handle(self, *args, **options):
        queued = facilitator_weeklies_queue()
        sent = deliver_pending(limit=100_000)
        self.stdout.write(f"Queued {queued} weekly facilitator emails; sent {sent} emails.")
