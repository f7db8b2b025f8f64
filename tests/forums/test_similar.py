"""Similar threads (forums.similar): the lookalikes offered while a question is asked."""

import pytest

from forums.similar import similar_threads
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(bob):
    community = CommunityFactory(name="Social media", slug="social-media")
    MembershipFactory(community=community, user=bob)
    return community


def test_similar_threads_match_partial_overlap_of_title_words(community, bob):
    make_thread(community=community, author=bob, title="Handling Facebook comments in the election period")
    make_thread(community=community, author=bob, title="Staff survey questions")
    found = [t.title for t in similar_threads(bob, "Facebook comments during purdah")]
    assert found == ["Handling Facebook comments in the election period"]


def test_similar_threads_are_capped(community, bob, no_rate_limits):
    for n in range(7):
        make_thread(community=community, author=bob, title=f"Press office rota {n}")
    assert len(similar_threads(bob, "press office rota")) == 5


def test_similar_threads_for_empty_or_stop_word_titles_are_empty(community, bob):
    make_thread(community=community, author=bob, title="The question")
    assert list(similar_threads(bob, "")) == []
    assert list(similar_threads(bob, "the of and")) == []


def test_similar_threads_leave_out_what_the_user_may_not_see(community, bob):
    private = CommunityFactory(slug="private", visibility="private")
    insider = UserFactory()
    MembershipFactory(community=private, user=insider)
    make_thread(community=private, author=insider, title="Leaked budget papers")
    assert list(similar_threads(bob, "budget papers")) == []
    assert [t.title for t in similar_threads(insider, "budget papers")] == ["Leaked budget papers"]
