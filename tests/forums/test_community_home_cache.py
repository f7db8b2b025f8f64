"""A community's page is kept for members who would see the same (forums.community_views.home):
nobody is shown another member's membership, rights or unread marks, and the page's
membership buttons still post with the member's own CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import Membership
from tests.communities.factories import community_run_by
from tests.factories import MembershipFactory, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def home_url(community) -> str:
    return reverse("community_home", kwargs={"slug": community.slug})


def test_each_member_sees_their_own_membership(alice, bob, charlie):
    community = community_run_by(alice)
    MembershipFactory(community=community, user=bob)
    assert "You are a facilitator" in client_as(alice).get(home_url(community)).content.decode()
    assert "You are a member" in client_as(bob).get(home_url(community)).content.decode()
    page = client_as(charlie).get(home_url(community)).content.decode()
    assert "Join this community" in page
    assert "You are a" not in page


def test_a_members_unread_marks_are_their_own(alice, bob, charlie):
    community = community_run_by(alice)
    MembershipFactory(community=community, user=bob)
    MembershipFactory(community=community, user=charlie)
    thread = make_thread(community=community, author=alice, title="Flood warnings")
    assert "govuk-tag--yellow" in client_as(bob).get(home_url(community)).content.decode()  # new to him
    client_as(bob).get(thread.get_absolute_url())  # now he has read it
    assert "govuk-tag--yellow" not in client_as(bob).get(home_url(community)).content.decode()
    assert "govuk-tag--yellow" in client_as(charlie).get(home_url(community)).content.decode()  # still new to her


def test_the_cached_page_holds_one_token_and_joining_posts_it(alice, charlie):
    community = community_run_by(alice)
    client_as(alice).get(home_url(community))
    client = Client(enforce_csrf_checks=True)
    client.force_login(charlie)
    page = client.get(home_url(community)).content.decode()
    tokens = TOKEN.findall(page)
    # The join form's, and the sign-out form's in the header if there is one.
    assert page.count("csrfmiddlewaretoken") == len(tokens) <= 2
    join = reverse("community_join", kwargs={"slug": community.slug})
    join_form = re.search(
        rf'<form method="post" action="{join}">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page,
    )
    assert join_form is not None
    response = client.post(join, {"csrfmiddlewaretoken": join_form.group(1)})
    assert response.status_code == 302
    assert Membership.objects.get(community=community, user=charlie).is_active


def test_two_members_get_their_own_tokens(alice, bob, charlie):
    community = community_run_by(alice)
    bob_page = client_as(bob).get(home_url(community)).content.decode()
    charlie_page = client_as(charlie).get(home_url(community)).content.decode()
    assert set(TOKEN.findall(bob_page)).isdisjoint(TOKEN.findall(charlie_page))
