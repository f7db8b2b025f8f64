from django.core.management.base import BaseCommand

from notifications.delivery import deliver_pending
from notifications.outbox import send_due


class Command(BaseCommand):
    help = "Send queued email now, including any a crashed worker left half-sent (the worker also does this itself)."

    def handle(self, *args, **options):
        prepared = deliver_pending()
        sent = send_due()
        self.stdout.write(f"Prepared {prepared} notification emails; the mail server accepted {sent} emails.")
