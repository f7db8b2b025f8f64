"""Which files does a reply touch, from the web form to the email a watcher gets?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_DB_SUFFIX=_reply_path \\
        .venv/bin/python scripts/reply_path.py

In a throwaway test database (test_commsnet<TEST_DB_SUFFIX>, dropped at the end): a
community, a thread whose author watches it, and a member who posts a reply through the
web form (Django's test client, the real view); then the task worker runs what was
queued (django-tasks-db's `db_worker --batch`), down to the outbox sending the watcher's
email to Django's in-memory mailbox. A profiler records each file of the apps whose code
ran (not migrations or tests), template_rendered each Django template; Jinja2 templates
compile to Python, so the profiler sees them. It all runs once untraced first, in another
community, so modules imported on first use are not counted for importing. Files that a
signed-in visit to /accessibility/ also ran are those every request passes through,
printed apart. docs/architecture.md, "The path of a reply", quotes the counts. Not a test.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commsnet.settings")

import django  # noqa: E402

django.setup()

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.signals import template_rendered  # noqa: E402
from django.test.utils import override_settings, setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from forums.models import Post, ThreadSubscription  # noqa: E402
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_thread  # noqa: E402

# In their layers, lowest first (docs/architecture.md); commsnet/ is left out.
APPS = ("core", "members", "communities", "forums", "moderation", "search", "notifications", "feeds", "records")
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@contextmanager
def recording() -> Iterator[set[str]]:
    """While open: the files whose code runs, and the templates rendered."""
    seen: set[str] = set()

    def profile(frame, event: str, arg) -> None:
        if event == "call":
            seen.add(frame.f_code.co_filename)

    def rendered(sender, template, **kwargs) -> None:
        seen.add(template.origin.name)

    template_rendered.connect(rendered)
    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(None)
        template_rendered.disconnect(rendered)


def project_files(seen: set[str]) -> set[Path]:
    """Paths from the checkout's root: the apps' code and the templates."""
    paths = {Path(name).relative_to(ROOT) for name in seen if Path(name).is_relative_to(ROOT)}
    return {
        path
        for path in paths
        if path.parts[0] == "templates"
        or (path.parts[0] in APPS and path.suffix == ".py" and not {"migrations", "tests"} & set(path.parts))
    }


def run_worker() -> None:
    """Run every task queued so far, and those they queue, as the worker would."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def cast(name: str):
    """A community, a thread its author watches by email, and a member to reply."""
    community = CommunityFactory(name=f"{name} communications", slug=name)
    watcher, replier = UserFactory(username=f"{name}-watcher"), UserFactory(username=f"{name}-replier")
    for user in (watcher, replier):
        MembershipFactory(community=community, user=user)
    thread = make_thread(community=community, author=watcher, title="Who answers press calls at night?")
    ThreadSubscription.objects.create(user=watcher, thread=thread, level=ThreadSubscription.Level.WATCHING)
    run_worker()  # whatever starting the thread queued
    return thread, watcher, replier


def reply_and_page(name: str) -> tuple[set[Path], set[Path]]:
    """Files a reply touched until its email was sent, and files a plain page touched."""
    thread, watcher, replier = cast(name)
    client = Client()
    client.force_login(replier)
    url = reverse("post_reply", args=[Post.objects.get(thread=thread, parent=None).pk])
    token = FORM_TOKEN.search(client.get(url).content.decode()).group(1)
    # Each request connects to the database as the site's do (DB_CONN_MAX_AGE 0): the
    # test client would keep one connection open.
    connections.close_all()
    with recording() as reply:
        response = client.post(url, {"body": "We keep a rota: the duty officer answers.", "form_token": token})
        run_worker()
    assert response.status_code == 302, f"the reply was not posted: {response.status_code}"
    assert [m for m in mail.outbox if watcher.email in m.to], "the watcher was not emailed"
    connections.close_all()
    with recording() as page:
        client.get("/accessibility/")
    return project_files(reply), project_files(page)


def print_files(paths: set[Path]) -> None:
    """The files under their app (templates together), apps lowest layer first."""
    order = [*APPS, "templates"]
    ordered = sorted(paths, key=lambda path: (order.index(path.parts[0]), path))
    for app, files in groupby(ordered, key=lambda path: path.parts[0]):
        files = list(files)
        print(f"  {app} ({len(files)}): " + ", ".join(str(path.relative_to(app)) for path in files))


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False, serialize=False)
    try:
        # The site's own outbox, whose worker hands messages to the in-memory mailbox
        # (the test environment would put that mailbox in the outbox's place); a new
        # member's first post would be held for review, and never emailed.
        with override_settings(
            EMAIL_BACKEND="notifications.outbox.QueuedEmailBackend",
            EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MODERATION_DEFAULT_HOLD_FIRST_POSTS=0,
        ):
            reply_and_page("warm-up")
            reply, page = reply_and_page("traced")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    every_request, own = reply & page, reply - page
    code = {path for path in own if path.parts[0] != "templates"}
    print("From the reply form to the watcher's email:")
    print_files(own)
    print(f"{len(code)} code files and {len(own - code)} templates, {len(own)} files")
    print(f"\nBesides, {len(every_request)} files every request passes through ({len(reply)} in all):")
    print_files(every_request)


if __name__ == "__main__":
    main()
