"""The thread and post visibility rule (communities/visibility.py) is written once and
read two ways: each object's check (permissions.can_view_thread, can_view_post) must
answer as the querysets (visible_to) do, for every viewer and every state."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import Community, community_access
from communities.permissions import can_moderate, can_view_community, can_view_post, can_view_thread
from communities.visibility import POST_RULE, ListViewer, as_filter
from forums.models import Post, Thread
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread
from tests.matrix import VISIBILITIES, build_cast

pytestmark = pytest.mark.django_db

THREAD_STATES = {"shown": {}, "hidden": {"is_hidden": True}, "unpublished": {"is_unpublished": True}}
POST_STATUSES = [status.value for status in Post.Status]


def _community(community, *, archived: bool = False):
    """`community` with the matrix's cast, two more members (a request waiting, an
    invitation not yet taken up), and a thread in each state with a post of each status,
    held ones written by the member."""
    cast = build_cast(community)
    for role in ("requested", "invited"):
        cast[role] = MembershipFactory(community=community, status=role.replace("requested", "pending")).user
    for state, fields in THREAD_STATES.items():
        thread = make_thread(community=community, author=cast["member"], title=f"A {state} thread")
        for status in POST_STATUSES:
            post = make_reply(thread=thread, author=cast["member"], body=f"A {status} reply")
            Post.objects.filter(pk=post.pk).update(status=status)
        Thread.objects.filter(pk=thread.pk).update(**fields)
    if archived:  # archived after the threads were started: an archived community takes no posts
        Community.objects.filter(pk=community.pk).update(status=Community.Status.ARCHIVED)
    return cast


@pytest.fixture
def viewers(no_rate_limits) -> list:
    """Everyone in every community's cast: each is an outsider to the other communities."""
    people = [AnonymousUser()]
    for visibility in VISIBILITIES:
        community = CommunityFactory(name=f"Matrix {visibility}", slug=f"matrix-{visibility}", visibility=visibility)
        people += [user for user in _community(community).values() if user is not None]
    archived = CommunityFactory(name="Matrix archived", slug="matrix-archived", visibility="private")
    people += [user for user in _community(archived, archived=True).values() if user is not None]
    return people


def test_each_thread_check_answers_as_the_thread_queryset(viewers):
    threads = list(Thread.objects.select_related("community"))
    seen = 0
    for viewer in viewers:
        listed = set(Thread.objects.visible_to(viewer).values_list("pk", flat=True))
        for thread in threads:
            assert can_view_thread(viewer, thread) == (thread.pk in listed), (viewer, thread.title, thread.community)
        seen += len(listed)
    assert 0 < seen < len(viewers) * len(threads)


def test_each_post_check_answers_as_the_post_queryset(viewers):
    posts = list(Post.objects.select_related("thread__community"))
    seen = 0
    for viewer in viewers:
        listed = set(Post.objects.visible_to(viewer).values_list("pk", flat=True))
        for post in posts:
            assert can_view_post(viewer, post) == (post.pk in listed), (viewer, post.body, post.thread.title)
        seen += len(listed)
    assert 0 < seen < len(viewers) * len(posts)


def test_community_access_answers_as_each_community_check(viewers):
    communities = list(Community.objects.all())
    for viewer in viewers:
        access = community_access(viewer)
        for community in communities:
            reads = access.readable is None or community.pk in access.readable
            moderates = access.readable is None or community.pk in access.moderated
            assert reads == can_view_community(viewer, community), (viewer, community)
            assert moderates == (reads and can_moderate(viewer, community)), (viewer, community)


def test_a_visitor_is_nobodys_author_so_the_sql_asks_only_for_shown_statuses():
    condition = as_filter(POST_RULE, ListViewer(readable=frozenset({1}), moderated=frozenset(), user_id=None))
    assert "author_id" not in str(condition)
    assert "held" not in str(condition)


def test_a_viewer_who_reads_nothing_gets_a_filter_that_matches_nothing(bob):
    assert list(Post.objects.filter(as_filter(POST_RULE, ListViewer(frozenset(), frozenset(), bob.pk)))) == []
