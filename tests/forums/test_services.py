import pytest

from communities.models import Community
from forums.models import Post, Thread
from forums.services import display_depth
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(bob):
    community = CommunityFactory()
    MembershipFactory(community=community, user=bob)
    return community


def test_starting_a_thread_creates_its_opening_post_and_counts_it(community, bob):
    thread = make_thread(community=community, author=bob, body="**Bold** question")
    opening = thread.posts.get()
    assert opening.is_opening and opening.depth == 0
    assert opening.body_html == "<p><strong>Bold</strong> question</p>"
    assert Community.objects.get(pk=community.pk).thread_count == 1


def test_replies_form_a_tree_ordered_by_sort_path(community, bob, alice):
    thread = make_thread(community=community, author=bob)
    first = make_reply(thread=thread, author=alice)
    second = make_reply(thread=thread, author=bob)
    answer_to_first = make_reply(thread=thread, author=bob, parent=first)
    ordered = list(Post.objects.filter(thread=thread, depth__gt=0).order_by("sort_path"))
    assert ordered == [first, answer_to_first, second]
    assert answer_to_first.depth == 2
    assert Thread.objects.get(pk=thread.pk).reply_count == 3


def test_display_depth_is_capped(community, bob):
    thread = make_thread(community=community, author=bob)
    parent = None
    for _ in range(6):
        parent = make_reply(thread=thread, author=bob, parent=parent)
    assert parent.depth == 6
    assert display_depth(parent) == 4


def test_replying_to_a_post_from_another_thread_is_refused(community, bob):
    thread = make_thread(community=community, author=bob)
    other = make_thread(community=community, author=bob, title="Another")
    stray = make_reply(thread=other, author=bob)
    with pytest.raises(ValueError):
        make_reply(thread=thread, author=bob, parent=stray)
