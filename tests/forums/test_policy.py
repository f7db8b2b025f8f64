"""Posting's seams (forums.policy): moderation's rules are registered, never assumed."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from forums import policy
from moderation import rules
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def test_moderation_registers_its_posting_rules_when_the_site_starts():
    assert policy._rules is rules


def test_posting_without_registered_rules_fails_loudly_instead_of_publishing(monkeypatch, community, bob):
    monkeypatch.setattr(policy, "_rules", None)
    with pytest.raises(ImproperlyConfigured):
        make_thread(community=community, author=bob)


def test_posting_blocked_reason_without_registered_rules_fails_loudly(monkeypatch, community, bob):
    monkeypatch.setattr(policy, "_rules", None)
    with pytest.raises(ImproperlyConfigured):
        policy.posting_blocked_reason(author=bob, community=community, action="reply")
