"""The community health page and the site admins' table of every community."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import Post, Thread
from tests.communities.factories import community_run_by
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(alice, bob):
    community = community_run_by(alice, slug="press-officers", name="Press officers", visibility="private")
    MembershipFactory(community=community, user=bob)
    return community


def waiting_question(community, author, title="Who signs off crisis statements?"):
    thread = make_thread(community=community, author=author, title=title)
    three_days_ago = timezone.now() - timedelta(days=3)
    Thread.objects.filter(pk=thread.pk).update(created_at=three_days_ago)
    Post.objects.filter(thread=thread).update(created_at=three_days_ago)
    return thread


def health_url(community) -> str:
    return reverse("community_health", kwargs={"slug": community.slug})


def test_facilitator_sees_the_figures_and_a_link_to_each_waiting_question(client, alice, bob, community):
    thread = waiting_question(community, bob)
    client.force_login(alice)
    response = client.get(health_url(community))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Last 7 days" in page and "Last 90 days" in page
    assert f'href="{thread.get_absolute_url()}"' in page
    assert "Weekly activity" in page and "<svg" in page


def test_member_who_is_not_a_facilitator_gets_404(client, bob, community):
    client.force_login(bob)
    assert client.get(health_url(community)).status_code == 404


def test_outsider_gets_404_for_a_private_communitys_health(client, charlie, community):
    client.force_login(charlie)
    assert client.get(health_url(community)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, community):
    response = client.get(health_url(community))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_health_page_refuses_post(client, alice, community):
    client.force_login(alice)
    assert client.post(health_url(community)).status_code == 405


def test_health_page_query_count_does_not_grow_with_activity(client, alice, bob, community, django_assert_num_queries):
    client.force_login(alice)
    client.get(health_url(community))  # warm the session and caches
    for number in range(3):
        thread = waiting_question(community, bob, title=f"Question {number}")
        make_reply(thread=thread, author=alice)
    with django_assert_num_queries(12):
        response = client.get(health_url(community))
    assert response.status_code == 200


def test_site_admin_table_sorts_by_the_chosen_column(client, dora, alice, bob, community):
    busy = community_run_by(alice, slug="busy", name="Busy")
    MembershipFactory(community=busy, user=bob)
    for number in range(2):
        make_thread(community=busy, author=bob, title=f"Busy thread {number}")
    client.force_login(dora)
    page = client.get(reverse("community_health_all"), {"sort": "new_threads", "days": "7"}).content.decode()
    assert page.index("Busy") < page.index("Press officers")
    page = client.get(reverse("community_health_all"), {"sort": "name"}).content.decode()
    assert page.index(">Busy<") < page.index(">Press officers<")


def test_site_admin_table_ignores_a_bad_query_string(client, dora, community):
    client.force_login(dora)
    response = client.get(reverse("community_health_all"), {"sort": "drop table", "days": "12"})
    assert response.status_code == 200
    assert "Figures for the last 30 days" in response.content.decode()


def test_csv_has_every_community_and_neutralises_formulas(client, dora, db):
    CommunityFactory(slug="formula", name='=HYPERLINK("http://evil")')
    client.force_login(dora)
    response = client.get(reverse("community_health_csv"), {"days": "90"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Community"
    assert rows[1][:3] == ['\'=HYPERLINK("http://evil")', "Active", "90"]


def test_directory_shows_signs_of_life(client, alice, bob, community):
    community.visibility = "public"
    community.save(update_fields=["visibility"])
    thread = make_thread(community=community, author=bob, title="Any tips for a quick answer?")
    make_reply(thread=thread, author=alice)
    response = client.get(reverse("community_directory"))
    assert "This month: 2 active members, 100% of questions answered" in response.content.decode()
