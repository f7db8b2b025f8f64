import pytest
from django.urls import reverse

from moderation import thread_actions
from moderation.models import ModerationAction
from tests.factories import make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(community, alice):
    thread = make_thread(community=community, author=alice)
    thread_actions.thread_rename(thread=thread, actor=alice, title="Renamed")
    return ModerationAction.objects.get()


def test_admin_shows_the_log_read_only(entry, dora):
    client = client_as(dora)
    assert client.get(reverse("admin:moderation_moderationaction_changelist")).status_code == 200
    page = client.get(reverse("admin:moderation_moderationaction_change", args=[entry.pk]))
    assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split('id="content-main"')[1]


def test_admin_cannot_delete_or_add_log_entries(entry, dora):
    client = client_as(dora)
    assert (
        client.post(reverse("admin:moderation_moderationaction_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:moderation_moderationaction_add")).status_code == 403
    assert ModerationAction.objects.count() == 1
