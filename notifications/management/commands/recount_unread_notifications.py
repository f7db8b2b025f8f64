"""Rebuild every member's unread-notification tally from their notifications.

The triggers keep the tallies as notifications change (migrations/0003); this is for
after anything that bypassed them, such as a TRUNCATE or a restore made without them.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import connection, transaction

# The migration holds the one copy of the SQL: it ran it to fill the tallies first.
RECOUNT_SQL = import_module("notifications.migrations.0003_unread_tally").RECOUNT_SQL


class Command(BaseCommand):
    help = "Rebuild every member's count of unread notifications."

    def handle(self, *args, **options):
        with transaction.atomic(), connection.cursor() as cursor:
            # Hold off new, read and removed notifications while counting: a trigger's
            # change made meanwhile would otherwise be overwritten with the older count.
            cursor.execute("LOCK TABLE notifications_notification IN SHARE MODE")
            cursor.execute(RECOUNT_SQL)
            changed = cursor.rowcount
        self.stdout.write(f"Unread-notification tallies rebuilt: {changed} changed.")
