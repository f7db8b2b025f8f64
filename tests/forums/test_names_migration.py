"""forums/migrations/0008: names and titles saved with line breaks are put on one line."""

import importlib

import pytest
from django.apps import apps

from communities.models import Community
from forums.models import Thread
from members.models import User
from tests.factories import CommunityFactory, MembershipFactory, make_thread

pytestmark = pytest.mark.django_db

migration = importlib.import_module("forums.migrations.0008_names_on_one_line")


def test_names_and_titles_with_line_breaks_are_put_on_one_line(bob):
    community = CommunityFactory(name="Pre-election\r\nBcc: all@example.org")
    MembershipFactory(community=community, user=bob)
    thread = make_thread(community=community, author=bob)
    Thread.objects.filter(pk=thread.pk).update(title="Budget\nleak")
    User.objects.filter(pk=bob.pk).update(display_name="Bob\r\n Member")

    migration.names_on_one_line(apps, None)

    assert Community.objects.get(pk=community.pk).name == "Pre-election Bcc: all@example.org"
    assert Thread.objects.get(pk=thread.pk).title == "Budget leak"
    assert User.objects.get(pk=bob.pk).display_name == "Bob Member"


def test_a_unique_name_another_community_already_has_on_one_line_is_left(bob):
    CommunityFactory(name="Press office")
    broken = CommunityFactory(name="Press\noffice")
    migration.names_on_one_line(apps, None)
    assert Community.objects.get(pk=broken.pk).name == "Press\noffice"
