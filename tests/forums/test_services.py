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


def _capture_mentions(monkeypatch):
    calls = []
    monkeypatch.setattr("forums.services.on_post_mentioned", lambda post, users: calls.append((post, users)))
    return calls


def test_mentions_are_announced_once_when_the_reply_is_posted(
    community, bob, alice, monkeypatch, django_capture_on_commit_callbacks
):
    calls = _capture_mentions(monkeypatch)
    MembershipFactory(community=community, user=alice)
    thread = make_thread(community=community, author=bob)
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(thread=thread, author=bob, body="Thoughts, @alice?")
    assert [(post, [user.username for user in users]) for post, users in calls] == [(reply, ["alice"])]


def test_editing_announces_only_newly_mentioned_members(
    community, bob, alice, charlie, monkeypatch, django_capture_on_commit_callbacks
):
    from forums.services import post_edit

    calls = _capture_mentions(monkeypatch)
    thread = make_thread(community=community, author=bob)
    reply = make_reply(thread=thread, author=bob, body="Hi @alice")
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(post=reply, editor=bob, body="Hi @alice and @charlie")
    assert [[user.username for user in users] for _, users in calls] == [["charlie"]]


def test_held_reply_announces_mentions_on_approval(
    community, bob, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from forums.services import count_published_reply

    calls = _capture_mentions(monkeypatch)
    thread = make_thread(community=community, author=bob)
    monkeypatch.setattr("forums.services.initial_post_status", lambda **kwargs: Post.Status.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        held = make_reply(thread=thread, author=bob, body="Hi @alice")
    assert calls == []
    Post.objects.filter(pk=held.pk).update(status=Post.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        count_published_reply(held)
    assert [[user.username for user in users] for _, users in calls] == [["alice"]]


def test_held_reply_does_not_announce_a_mention_of_someone_suspended_meanwhile(
    community, bob, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from forums.services import count_published_reply
    from members.models import User

    calls = _capture_mentions(monkeypatch)
    MembershipFactory(community=community, user=alice)
    thread = make_thread(community=community, author=bob)
    monkeypatch.setattr("forums.services.initial_post_status", lambda **kwargs: Post.Status.HELD)
    held = make_reply(thread=thread, author=bob, body="Hi @alice")
    User.objects.filter(pk=alice.pk).update(status=User.Status.SUSPENDED)
    Post.objects.filter(pk=held.pk).update(status=Post.Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        count_published_reply(held)
    assert calls == []


def test_mentions_are_announced_before_the_post_is_published(
    community, bob, alice, monkeypatch, django_capture_on_commit_callbacks
):
    events = []
    monkeypatch.setattr("forums.services.on_post_mentioned", lambda post, users: events.append("mentioned"))
    monkeypatch.setattr("forums.services.on_post_published", lambda post: events.append("published"))
    thread = make_thread(community=community, author=bob)
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=thread, author=bob, body="@alice?")
    assert events == ["mentioned", "published"]
