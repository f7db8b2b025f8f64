import pytest

from communities.models import Community
from forums import events
from forums.models import Post, Thread
from forums.services import count_published_reply, display_depth, post_edit
from members.models import User
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
    MembershipFactory(community=community, user=alice)
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


@pytest.fixture
def heard():
    """What forums.events said, in order: ("mentioned", post, usernames) or ("published", post, None)."""
    said = []

    def mentioned(sender, *, post, users, **kwargs):
        said.append(("mentioned", post, [user.username for user in users]))

    def published(sender, *, post, **kwargs):
        said.append(("published", post, None))

    events.users_mentioned.connect(mentioned)
    events.post_published.connect(published)
    yield said
    events.users_mentioned.disconnect(mentioned)
    events.post_published.disconnect(published)


def mentions(heard) -> list:
    return [(post, users) for name, post, users in heard if name == "mentioned"]


def test_mentions_are_announced_once_when_the_reply_is_posted(
    community, bob, alice, heard, django_capture_on_commit_callbacks
):
    MembershipFactory(community=community, user=alice)
    thread = make_thread(community=community, author=bob)
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(thread=thread, author=bob, body="Thoughts, @alice?")
    assert mentions(heard) == [(reply, ["alice"])]


def test_editing_announces_only_newly_mentioned_members(
    community, bob, alice, charlie, heard, django_capture_on_commit_callbacks
):
    thread = make_thread(community=community, author=bob)
    reply = make_reply(thread=thread, author=bob, body="Hi @alice")
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(post=reply, editor=bob, body="Hi @alice and @charlie")
    assert [users for _, users in mentions(heard)] == [["charlie"]]


def test_held_reply_announces_mentions_on_approval(
    community, bob, alice, heard, monkeypatch, django_capture_on_commit_callbacks
):
    thread = make_thread(community=community, author=bob)
    monkeypatch.setattr("forums.services.initial_post_status", lambda **kwargs: Post.Status.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        held = make_reply(thread=thread, author=bob, body="Hi @alice")
    assert mentions(heard) == []
    Post.objects.filter(pk=held.pk).update(status=Post.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        count_published_reply(held)
    assert [users for _, users in mentions(heard)] == [["alice"]]


def test_held_reply_does_not_announce_a_mention_of_someone_suspended_meanwhile(
    community, bob, alice, heard, monkeypatch, django_capture_on_commit_callbacks
):
    MembershipFactory(community=community, user=alice)
    thread = make_thread(community=community, author=bob)
    monkeypatch.setattr("forums.services.initial_post_status", lambda **kwargs: Post.Status.HELD)
    held = make_reply(thread=thread, author=bob, body="Hi @alice")
    User.objects.filter(pk=alice.pk).update(status=User.Status.SUSPENDED)
    Post.objects.filter(pk=held.pk).update(status=Post.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        count_published_reply(held)
    assert mentions(heard) == []


def test_mentions_are_announced_before_the_post_is_published(
    community, bob, alice, heard, django_capture_on_commit_callbacks
):
    thread = make_thread(community=community, author=bob)
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=thread, author=bob, body="@alice?")
    assert [name for name, _, _ in heard] == ["mentioned", "published"]
