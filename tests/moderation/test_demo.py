import pytest

from forums.models import Post
from moderation.demo import COMMUNITY, pause_premoderation, seed_moderation
from moderation.models import CommunityModerationSettings, Flag
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(premoderation):
    people = {name: UserFactory(username=name) for name in ("marcus", "tom", "priya", "lucy")}
    community = CommunityFactory(slug=COMMUNITY, name="Social media and digital engagement", member_count=4)
    MembershipFactory(community=community, user=people["marcus"], role="owner")
    for name in ("tom", "priya", "lucy"):
        MembershipFactory(community=community, user=people[name])
    return people, {COMMUNITY: community}


def test_demo_discussions_are_not_held_and_the_default_comes_back(world):
    people, communities = world
    pause_premoderation(communities)
    thread = make_thread(community=communities[COMMUNITY], author=people["priya"])
    seed_moderation(people, communities)
    assert thread.posts.get().status == Post.Status.PUBLISHED
    assert CommunityModerationSettings.objects.get().hold_first_posts == 1


def test_demo_leaves_a_held_post_and_an_open_report_and_runs_twice(world):
    people, communities = world
    pause_premoderation(communities)
    seed_moderation(people, communities)
    pause_premoderation(communities)
    seed_moderation(people, communities)
    assert Post.objects.filter(status=Post.Status.HELD, author=people["lucy"]).count() == 1
    assert Flag.objects.filter(status=Flag.Status.OPEN).count() == 1


def test_seed_demo_shows_the_discussions_and_leaves_one_of_each_for_review(premoderation):
    from django.core.management import call_command

    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    held = Post.objects.filter(status=Post.Status.HELD)
    assert [post.author.username for post in held] == ["lucy"]
    assert Flag.objects.filter(status=Flag.Status.OPEN).count() == 1
    assert set(CommunityModerationSettings.objects.values_list("hold_first_posts", flat=True)) == {1}
