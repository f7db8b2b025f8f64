"""The live plain-English check: an HTML fragment of forums.writing_check's advice on
the text posted, for static/js/writing-check.js."""

import pytest
from django.test import Client
from django.urls import reverse

from forums.models import CommunityForumSettings
from tests.matrix import client_as

pytestmark = pytest.mark.django_db

LONG_SENTENCE = " ".join(["word"] * 30) + "."


def check_url(community) -> str:
    return reverse("writing_check", args=[community.slug])


def test_member_gets_the_advice_on_a_long_sentence(community, bob):
    response = client_as(bob).post(check_url(community), {"body": LONG_SENTENCE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check your writing" in page
    assert "This sentence is long. Try splitting it" in page


def test_advice_uses_the_communitys_jargon_list(community, bob):
    CommunityForumSettings.objects.create(community=community, jargon_words="purdah")
    response = client_as(bob).post(check_url(community), {"body": "What are the purdah rules?"})
    assert "Your community asks members to explain or avoid: purdah." in response.content.decode()


def test_fragment_heading_is_its_own_and_leaves_the_previews_id_alone(community, bob):
    page = client_as(bob).post(check_url(community), {"body": "Short and clear."}).content.decode()
    assert '<h2 class="govuk-heading-s">Check your writing</h2>' in page
    assert 'id="plain-english"' not in page
    assert "No problems found" in page


def test_blank_text_gets_an_empty_fragment(community, bob):
    response = client_as(bob).post(check_url(community), {"body": "  \n "})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_text_longer_than_a_post_may_be_is_refused_with_the_reason(community, bob):
    response = client_as(bob).post(check_url(community), {"body": "a" * 20_001})
    assert response.status_code == 400
    assert "Your message must be 20,000 characters or fewer" in response.content.decode()


def test_text_as_long_as_a_post_may_be_is_checked(community, bob):
    response = client_as(bob).post(check_url(community), {"body": "a" * 20_000})
    assert response.status_code == 200


def test_typed_text_is_escaped_in_the_fragment(community, bob):
    body = "<script>alert(1)</script> " + LONG_SENTENCE
    page = client_as(bob).post(check_url(community), {"body": body}).content.decode()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_anonymous_is_sent_to_sign_in(community):
    response = client_as(None).post(check_url(community), {"body": LONG_SENTENCE})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_wrong_method_is_405(community, bob):
    assert client_as(bob).get(check_url(community), {"body": LONG_SENTENCE}).status_code == 405


def test_post_without_the_csrf_token_is_refused(community, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post(check_url(community), {"body": LONG_SENTENCE}).status_code == 403


def test_non_member_gets_403(community, charlie):
    assert client_as(charlie).post(check_url(community), {"body": LONG_SENTENCE}).status_code == 403


def test_outsider_gets_404_for_a_private_community(private_community, charlie):
    assert client_as(charlie).post(check_url(private_community), {"body": LONG_SENTENCE}).status_code == 404


def test_unknown_community_is_404(bob):
    assert client_as(bob).post(reverse("writing_check", args=["no-such-place"]), {"body": "x"}).status_code == 404


def test_checks_beyond_the_rate_limit_get_429(community, bob):
    client = client_as(bob)
    statuses = [client.post(check_url(community), {"body": f"Draft {n}."}).status_code for n in range(31)]
    assert set(statuses[:30]) == {200}
    assert statuses[30] == 429


@pytest.mark.parametrize("page_name", ["new thread", "reply", "edit", "thread page"])
def test_post_forms_carry_the_live_check_region(page_name, community, thread, bob):
    opening = thread.posts.get(parent=None)
    url = {
        "new thread": reverse("thread_new", args=[community.slug]),
        "reply": reverse("post_reply", args=[opening.pk]),
        "edit": reverse("post_edit", args=[opening.pk]),
        "thread page": thread.get_absolute_url(),
    }[page_name]
    page = client_as(bob).get(url).content.decode()
    assert f'data-writing-check-url="{check_url(community)}" aria-live="polite"' in page
    assert "js/writing-check" in page
