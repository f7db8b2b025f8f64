"""A member's profile: only what the viewer may see."""

import pytest
from django.urls import reverse

from members.models import User
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread, write_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, bob):
    public = CommunityFactory(name="Social media", slug="social-media", visibility="public")
    private = CommunityFactory(name="Police press officers", slug="police-press", visibility="private")
    for community in (public, private):
        MembershipFactory(community=community, user=alice)
        MembershipFactory(community=community, user=bob)
    public_thread = make_thread(community=public, author=alice, title="Scheduling tools for councils")
    private_thread = make_thread(community=private, author=alice, title="Handling a live incident")
    public_reply = make_reply(thread=make_thread(community=public, author=bob, title="Alt text tips"), author=alice)
    make_reply(thread=private_thread, author=alice, body="Secret answer")
    return {"public": public, "private": private, "public_thread": public_thread, "public_reply": public_reply}


def profile(client, username="alice"):
    return client.get(reverse("member_profile", args=[username]))


def test_profile_shows_details_and_member_since(client, bob, alice):
    alice.job_title = "Digital lead"
    alice.show_email = False
    alice.save()
    client.force_login(bob)
    response = profile(client)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Alice Facilitator" in body
    assert "Digital lead" in body
    assert "Member since" in body
    assert alice.email not in body


def test_profile_shows_the_username_to_mention_or_search_by(client, bob, alice):
    client.force_login(bob)
    assert "@alice" in profile(client).content.decode()


def test_email_is_shown_only_when_the_member_chooses(client, bob, alice):
    alice.show_email = True
    alice.save()
    client.force_login(bob)
    assert alice.email in profile(client).content.decode()


def test_community_member_sees_private_activity(client, bob, world):
    client.force_login(bob)
    body = profile(client).content.decode()
    assert "Police press officers" in body
    assert "Handling a live incident" in body


def test_outsider_never_sees_a_private_community_or_its_threads(client, charlie, world):
    client.force_login(charlie)
    body = profile(client).content.decode()
    assert "Social media" in body
    assert "Scheduling tools for councils" in body
    assert "Alt text tips" in body
    assert "Police press officers" not in body
    assert "Handling a live incident" not in body


def test_accepted_answers_count_only_visible_threads(client, charlie, bob, alice, world):
    from forums.models import Thread

    private_answer = make_reply(thread=Thread.objects.get(title="Handling a live incident"), author=alice)
    Thread.objects.filter(title="Handling a live incident").update(accepted_answer=private_answer)
    Thread.objects.filter(title="Alt text tips").update(accepted_answer=world["public_reply"])
    client.force_login(bob)
    assert profile(client).context["accepted_answers"] == 2
    client.force_login(charlie)
    assert profile(client).context["accepted_answers"] == 1


def test_profile_query_count_does_not_grow_with_activity(
    client, bob, alice, world, no_rate_limits, django_assert_max_num_queries
):
    client.force_login(bob)
    with django_assert_max_num_queries(14):
        profile(client)
    for n in range(12):
        make_reply(thread=world["public_thread"], author=alice, body=f"More {n}")
        make_thread(community=world["public"], author=alice, title=f"Another question {n}")
    with django_assert_max_num_queries(14):
        response = profile(client)
    assert len(response.context["threads"]) == 10


def test_profile_links_to_everything_the_member_wrote(client, bob, world):
    client.force_login(bob)
    body = profile(client).content.decode()
    assert '<a class="govuk-link" href="/search/?author=alice">See everything Alice Facilitator wrote</a>' in body
    listed = client.get("/search/", {"author": "alice"}).content.decode()
    assert "Scheduling tools for councils" in listed and "Alt text tips" in listed


def test_profile_without_posts_has_no_link_to_them(client, bob, alice):
    client.force_login(bob)
    assert "See everything" not in profile(client).content.decode()


def test_site_admin_sees_no_link_to_a_pending_members_posts(client, dora, erin):
    # Search takes only listed members as authors. An account awaiting approval may not
    # post: the thread is written directly, to show no link is offered even so.
    write_thread(community=CommunityFactory(), author=erin, title="Before approval")
    client.force_login(dora)
    assert "See everything" not in profile(client, "erin").content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client, alice):
    response = profile(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_pending_member_gets_404(client, erin, alice):
    client.force_login(erin)
    assert profile(client).status_code == 404


def test_profile_of_a_pending_or_unknown_member_is_404(client, bob, erin):
    client.force_login(bob)
    assert profile(client, "erin").status_code == 404
    assert profile(client, "nobody-here").status_code == 404


def test_site_admin_can_see_a_pending_members_profile(client, dora, erin):
    client.force_login(dora)
    assert profile(client, "erin").status_code == 200


def test_profile_of_an_erased_member_is_404(client, bob, dora):
    from members.services import member_erase

    gone = UserFactory(username="gone")
    member_erase(member=gone, by=dora)
    client.force_login(bob)
    assert profile(client, User.objects.get(pk=gone.pk).username).status_code == 404


def test_profile_wrong_method_is_405(client, bob, alice):
    client.force_login(bob)
    assert client.post(reverse("member_profile", args=["alice"])).status_code == 405
