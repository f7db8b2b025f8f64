from django.core.management.base import BaseCommand

from records.exports import exports_expire
from records.retention import apply_retention


class Command(BaseCommand):
    help = "Apply every community's retention rule and remove expired exports. Run daily; safe to run twice."

    def handle(self, *args, **options):
        run = apply_retention()
        expired = exports_expire()
        self.stdout.write(
            f"Archived {len(run.archived)}, warned of {len(run.warned)}, deleted {len(run.deleted)} thread(s); "
            f"{len(run.lapsed)} archive(s) ended; {expired} expired export(s) removed."
        )
