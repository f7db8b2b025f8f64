"""`manage.py expire_announcements`, from cron every few minutes: unpins announcements
whose "pinned until" has passed. Safe to run at any time, as often as you like."""

from django.core.management.base import BaseCommand

from forums.highlights import announcements_expire


class Command(BaseCommand):
    help = "Unpin announcements whose pinned-until time has passed."

    def handle(self, *args, **options):
        self.stdout.write(f"Unpinned {announcements_expire()} announcements.")
