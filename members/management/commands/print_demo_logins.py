from django.core.management.base import BaseCommand

from members.demo import DEMO_LOGINS, DEMO_PASSWORD
from members.models import User


class Command(BaseCommand):
    help = "Print the demo sign-in details."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for label, username in DEMO_LOGINS:
            user = User.objects.filter(username=username).first()
            if user:
                self.stdout.write(f"  {label:45} {user.email}")
