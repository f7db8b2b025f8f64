"""Kept pages across the permission matrix's cast: whoever gets the same key gets the
same page, so a key that left out something a page shows about its viewer would fail
here (communities.page_cache)."""

from collections import defaultdict

import pytest
from django.urls import reverse

from communities import page_cache
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread
from tests.matrix import client_as, community_with_cast

pytestmark = pytest.mark.django_db


class RecordingCache:
    """Keeps nothing, so every page is rendered for every viewer; records what each key was given."""

    def __init__(self):
        self.pages = defaultdict(set)

    def get(self, key, default=None):
        return default

    def set(self, key, value, timeout=None):
        self.pages[key].add(value)

    def get_or_set(self, key, default, timeout=None):
        value = default()
        self.set(key, value)
        return value


@pytest.fixture
def recording(monkeypatch):
    cache = RecordingCache()
    monkeypatch.setattr(page_cache, "caches", {"pages": cache})
    return cache


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_everyone_given_the_same_key_is_given_the_same_page(recording, visibility):
    community, cast = community_with_cast(visibility)
    for name in ["reader", "another_reader"]:  # two members who would see the same
        cast[name] = UserFactory(username=f"{visibility}_{name}")
        MembershipFactory(community=community, user=cast[name])
    thread = make_thread(community=community, author=cast["member"], title="Flood warning wording")
    make_reply(thread=thread, author=cast["facilitator"], body="We use the Environment Agency's words.")
    make_reply(thread=thread, author=cast["owner"], body="Flood warnings go out by text too.")
    pages = [
        thread.get_absolute_url(),
        community.get_absolute_url(),
        reverse("community_directory"),
        reverse("search") + "?q=flood",
    ]
    # Half the cast read the thread before seeing the community's list, half after, so
    # their unread marks differ.
    for index, person in enumerate(cast.values()):
        client = client_as(person)
        for url in pages if index % 2 else reversed(pages):
            client.get(url)
    assert recording.pages, "no page was kept"
    for key, versions in recording.pages.items():
        assert len(versions) == 1, f"{key} was given {len(versions)} different pages"
    thread_keys = [key for key in recording.pages if key.startswith(f"thread-page:{thread.pk}:")]
    assert len(thread_keys) < len(cast)  # the two readers were given one kept page
