"""The highlights and announcements page and its actions."""

import pytest
from django.urls import reverse

from forums.models import Thread
from tests.communities.factories import community_run_by
from tests.factories import MembershipFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(alice, bob):
    community = community_run_by(alice, slug="press-officers", name="Press officers")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def thread(community, bob):
    return make_thread(community=community, author=bob, title="Our crisis plan template")


def page_url(community) -> str:
    return reverse("community_highlights", kwargs={"slug": community.slug})


def feature_url(community, thread) -> str:
    return reverse("thread_feature", kwargs={"slug": community.slug, "pk": thread.pk})


def test_facilitator_features_a_thread_and_it_heads_the_community_page(client, alice, community, thread):
    client.force_login(alice)
    response = client.post(feature_url(community, thread))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.featured_at is not None
    home = client.get(community.get_absolute_url()).content.decode()
    featured = home[home.index('id="featured-heading"') :]
    assert thread.title in featured[: featured.index("</section>")]


def test_facilitator_stops_featuring_a_thread(client, alice, community, thread):
    client.force_login(alice)
    client.post(feature_url(community, thread))
    client.post(reverse("thread_unfeature", kwargs={"slug": community.slug, "pk": thread.pk}))
    thread.refresh_from_db()
    assert thread.featured_at is None


def test_member_gets_404_for_the_page(client, bob, community):
    client.force_login(bob)
    assert client.get(page_url(community)).status_code == 404


def test_member_gets_403_with_a_reason_for_featuring_and_nothing_changes(client, bob, community, thread):
    client.force_login(bob)
    response = client.post(feature_url(community, thread))
    assert response.status_code == 403
    assert "Only the facilitators of Press officers can choose its highlights" in response.content.decode()
    thread.refresh_from_db()
    assert thread.featured_at is None


def test_outsider_gets_404_for_featuring_in_a_private_community(client, alice, charlie, bob):
    private = community_run_by(alice, slug="private", visibility="private")
    thread = make_thread(community=private, author=alice, title="Private plans")
    client.force_login(charlie)
    assert client.post(feature_url(private, thread)).status_code == 404


def test_feature_refuses_get(client, alice, community, thread):
    client.force_login(alice)
    assert client.get(feature_url(community, thread)).status_code == 405


def test_anonymous_is_sent_to_sign_in(client, community):
    assert client.get(page_url(community)).status_code == 302


def test_sending_without_featured_threads_says_why(client, alice, community):
    client.force_login(alice)
    response = client.post(reverse("highlights_send", kwargs={"slug": community.slug}), follow=True)
    assert "Feature at least one thread before you send highlights." in response.content.decode()


def test_a_past_date_for_an_announcement_is_refused_and_what_was_typed_is_kept(client, alice, community):
    announcement = make_thread(community=community, author=alice, title="Office move", kind="announcement")
    client.force_login(alice)
    url = reverse("announcement_pin", kwargs={"slug": community.slug, "pk": announcement.pk})
    response = client.post(url, {f"a{announcement.pk}-until": "1 1 2020"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date must be after today" in page
    assert 'value="1 1 2020"' in page


def test_facilitator_pins_an_announcement_until_a_date_and_unpins_it(client, alice, community):
    announcement = make_thread(community=community, author=alice, title="Office move", kind="announcement")
    client.force_login(alice)
    url = reverse("announcement_pin", kwargs={"slug": community.slug, "pk": announcement.pk})
    client.post(url, {f"a{announcement.pk}-until": "31 12 2099"})
    announcement.refresh_from_db()
    assert announcement.pinned_until.year == 2099
    client.post(reverse("announcement_unpin", kwargs={"slug": community.slug, "pk": announcement.pk}))
    announcement.refresh_from_db()
    assert (announcement.is_pinned, announcement.pinned_until) == (False, None)


def test_highlights_page_query_count_is_fixed(client, alice, community, django_assert_num_queries):
    client.force_login(alice)
    client.get(page_url(community))
    for number in range(3):
        make_thread(community=community, author=alice, title=f"Thread {number}", kind="announcement")
    with django_assert_num_queries(9):
        assert client.get(page_url(community)).status_code == 200
    assert Thread.objects.filter(community=community).count() == 3
