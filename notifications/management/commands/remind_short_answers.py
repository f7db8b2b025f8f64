"""`manage.py remind_short_answers`, daily from cron. Safe to run twice: each short
answer's review date is reminded of once (forums/short_answers.py short_answers_due)."""

from django.core.management.base import BaseCommand

from notifications.short_answer_reminders import remind_short_answers


class Command(BaseCommand):
    help = "Email facilitators about short answers that have reached their review date."

    def handle(self, *args, **options):
        sent = remind_short_answers()
        self.stdout.write(f"Sent {sent} short answer reminder{'s' if sent != 1 else ''}.")
