from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction

from communities.demo import seed_communities
from forums.demo import seed_discussions
from members.demo import seed_members
from members.models import User
from moderation.demo import pause_premoderation, seed_moderation
from notifications.demo import seed_notifications


# Here, in the top app, because seeding the demo world runs every app's demo in turn.
class Command(BaseCommand):
    help = "Create the demo world: organisations, people, communities and discussions. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the database has members.")

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Database already has members: demo data not loaded.")
            return
        with transaction.atomic():
            # allauth names the site in its emails: not "example.com".
            domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
            Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": "CommsNet"})
            people = seed_members()
            communities = seed_communities(people)
            self._seed_discussions(people, communities)
            self._seed_notifications(people, communities)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def _seed_discussions(self, people, communities) -> None:
        pause_premoderation(communities)
        seed_discussions(people, communities)
        seed_moderation(people, communities)

    def _seed_notifications(self, people, communities) -> None:
        seed_notifications(people, communities)
