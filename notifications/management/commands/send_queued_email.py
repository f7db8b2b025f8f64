from django.core.management.base import BaseCommand

from notifications.delivery import deliver_pending


class Command(BaseCommand):
    help = "Send queued email now, including any a crashed worker left half-sent (cron this every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {deliver_pending()} emails.")
