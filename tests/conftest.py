"""The named cast used across the suite (see STYLE.md):
alice (facilitator), bob (member), charlie (outsider), dora (site admin),
plus erin (pending site member)."""

import pytest
from django.core.cache import caches

from members.models import User
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _no_default_premoderation(settings):
    # Communities hold a new member's first post by default (moderation.rules); tests
    # outside moderation would all meet held posts, so the suite starts with it off.
    # Moderation's tests turn it back on where they test it.
    settings.MODERATION_DEFAULT_HOLD_FIRST_POSTS = 0


@pytest.fixture
def no_rate_limits(settings):
    # For tests that write more posts in a minute than a member may: the posting rate
    # limits have their own tests (tests/moderation/test_rules.py, test_posting_rules.py).
    unlimited = {"new_member_threads_per_hour": 10**6, "new_member_replies_per_hour": 10**6, "posts_per_hour": 10**6}
    settings.MODERATION_RATE_LIMITS = {**settings.MODERATION_RATE_LIMITS, **unlimited}


@pytest.fixture(autouse=True)
def _staff_two_factor_optional(settings):
    # On by default in production (STAFF_REQUIRE_2FA); the cast's facilitators and site
    # admin have no authenticator app, so tests that need it on turn it on.
    settings.STAFF_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is deliberately slow; the suite makes hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _uses_database(request) -> bool:
    names = set(request.fixturenames)
    return bool(names & {"db", "transactional_db", "live_server"}) or request.node.get_closest_marker("django_db")


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    # Rate-limit counters live in the (database) cache, and kept pages and fragments in
    # memory under content versions a rolled-back test can give again: one test must
    # neither throttle the next nor be served what it kept.
    if not _uses_database(request):
        yield
        return
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    request.getfixturevalue("transactional_db" if transactional else "db")
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches():
    for kept in caches.all():
        kept.clear()


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", display_name="Alice Facilitator")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", display_name="Bob Member")


@pytest.fixture
def charlie(db):
    return UserFactory(username="charlie", display_name="Charlie Outsider")


@pytest.fixture
def dora(db):
    return UserFactory(username="dora", display_name="Dora Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def erin(db):
    return UserFactory(username="erin", display_name="Erin Pending", status=User.Status.PENDING)
