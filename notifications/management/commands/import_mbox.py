"""`manage.py import_mbox PATH --community SLUG`: import a mailing-list archive (an mbox
file, or a zip of .eml files) from the server's disk, here and now rather than by the
task worker. The threads stay unpublished until a facilitator publishes them on the
import's page (or `--publish`)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from communities.models import Community
from notifications import archive_services
from notifications.archive_import import import_run
from notifications.archive_reader import ArchiveRefused, sniff
from notifications.models import ArchiveImport


class Command(BaseCommand):
    help = "Import an mbox file or a zip of .eml files into a community, unpublished."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--community", required=True, help="the community's slug")
        parser.add_argument("--by", help="username of the facilitator to email the summary to")
        parser.add_argument("--publish", action="store_true", help="publish the threads once imported")

    def handle(self, *args, path, community, by=None, publish=False, **options):
        target = Community.objects.filter(slug=community).first()
        if target is None:
            raise CommandError(f"There is no community with the slug “{community}”.")
        importer = None
        if publish and not by:
            raise CommandError("--publish needs --by: the facilitator who publishes it.")
        if by:
            importer = get_user_model().objects.filter(username=by).first()
            if importer is None or not archive_services.may_import(importer, target):
                raise CommandError(f"“{by}” is not a facilitator of {target.name} or a site admin.")
        try:
            with open(path, "rb") as handle:
                sniff(handle)
                batch = ArchiveImport.objects.create(
                    community=target, created_by=importer, filename=Path(path).name[:200]
                )
                batch.archive.save("archive", File(handle), save=True)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except ArchiveRefused as error:
            raise CommandError(f"{error}.") from error
        batch = import_run(batch_id=batch.pk)
        self.stdout.write(
            f"Read {batch.messages_read} messages: {batch.threads_made} threads and {batch.posts_made} posts made, "
            f"{batch.duplicates} duplicates skipped, {batch.refused} refused."
        )
        for line in filter(None, batch.refusals.split("\n")):
            self.stdout.write(f"  {line}")
        if batch.status != ArchiveImport.Status.READY:
            raise CommandError(f"The import stopped: {batch.error}.")
        if publish:
            batch.community = target
            try:
                count = archive_services.archive_import_publish(batch=batch, by=importer)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(f"Published {count} threads.")
        else:
            url = reverse("archive_import_detail", args=[target.slug, batch.pk])
            self.stdout.write(f"Not published yet: review and publish it at {url}")
