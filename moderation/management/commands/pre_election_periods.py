"""Log pre-election periods that started or ended (moderation/elections.py). Run it
daily, just after midnight (or more often): it is safe to run any number of times."""

from django.core.management.base import BaseCommand

from moderation.elections import observe_all


class Command(BaseCommand):
    help = "Write the start and end of pre-election periods to the moderation log, once each."

    def handle(self, *args, **options) -> None:
        looked_at = observe_all()
        self.stdout.write(f"Checked {looked_at} pre-election period{'s' if looked_at != 1 else ''}.")
