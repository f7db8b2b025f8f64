"""The short answer's pages, where it shows (thread, search, similar questions), the
plain-English check on previews, and "Who knows about this" on tag pages."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from forums.models import CommunityForumSettings, HelpfulMark, Thread
from forums.outline import thread_outline
from forums.services import answer_accept, helpful_mark
from forums.short_answers import short_answer_save
from members.models import User
from tests.factories import MembershipFactory, UserFactory, make_reply, make_thread
from tests.forums.factories import bulk_threads
from tests.forums.test_query_counts import THREAD_PAGE_QUERIES
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


def review_date(days: int = 60) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


@pytest.fixture
def answered(thread, alice):
    reply = make_reply(thread=thread, author=alice, body="Hide them and reply privately.")
    return answer_accept(thread=thread, post=reply, by=thread.author)


def with_short_answer(thread, by, body="Hide abusive comments; answer the rest.") -> Thread:
    return short_answer_save(
        thread=thread, by=by, body=body, review_by=timezone.localdate() + datetime.timedelta(days=30)
    )


def test_the_asker_writes_a_short_answer_and_sees_it_at_the_top_of_the_thread(answered, bob):
    client = client_as(bob)
    client.get(answered.get_absolute_url())  # the page is kept before the change
    response = client.post(
        reverse("short_answer_edit", args=[answered.pk]), {"body": "Hide *abusive* ones.", "review_by": review_date()}
    )
    assert response.status_code == 302
    page = client.get(answered.get_absolute_url()).content.decode()
    assert "<em>abusive</em>" in page
    assert "Last confirmed" in page


def test_a_visitor_s_kept_page_shows_a_new_short_answer_at_once(answered, bob, client):
    assert "Short answer" not in client.get(answered.get_absolute_url()).content.decode()
    with_short_answer(answered, bob)
    assert "Hide abusive comments" in client.get(answered.get_absolute_url()).content.decode()


def test_the_form_offers_a_review_date_six_months_ahead(answered, bob):
    response = client_as(bob).get(reverse("short_answer_edit", args=[answered.pk]))
    expected = (timezone.localdate() + datetime.timedelta(days=182)).strftime("%d/%m/%Y")
    assert response.status_code == 200
    assert f'value="{expected}"' in response.content.decode()


def test_an_invalid_short_answer_keeps_what_was_typed_and_says_why(answered, bob):
    response = client_as(bob).post(
        reverse("short_answer_edit", args=[answered.pk]), {"body": "My words stay", "review_by": "31/02/2020"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "My words stay" in page
    assert "Enter a real review date" in page
    assert Thread.objects.get(pk=answered.pk).short_answer == ""


def test_a_past_review_date_is_refused(answered, bob):
    response = client_as(bob).post(
        reverse("short_answer_edit", args=[answered.pk]), {"body": "Words", "review_by": "01/01/2020"}
    )
    assert "The review date must be in the future" in response.content.decode()


def test_a_too_long_short_answer_comes_back_whole_with_the_limit(answered, bob):
    body = "word " * 200
    response = client_as(bob).post(
        reverse("short_answer_edit", args=[answered.pk]), {"body": body, "review_by": review_date()}
    )
    page = response.content.decode()
    assert "600 characters or fewer" in page
    assert body.strip() in page


def test_preview_shows_the_short_answer_and_the_writing_check(answered, bob):
    response = client_as(bob).post(
        reverse("short_answer_edit", args=[answered.pk]), {"body": "See ![](map.png)", "preview": "1"}
    )
    page = response.content.decode()
    assert 'id="preview"' in page
    assert "1 image has no alt text" in page
    assert Thread.objects.get(pk=answered.pk).short_answer == ""


def test_confirming_shows_the_new_confirmation_and_review_dates(answered, bob, alice):
    with_short_answer(answered, bob)
    Thread.objects.filter(pk=answered.pk).update(
        short_answer_confirmed_at=timezone.now() - datetime.timedelta(days=400)
    )
    response = client_as(alice).post(
        reverse("short_answer_confirm", args=[answered.pk]), {"review_by": review_date(90)}
    )
    assert response.status_code == 302
    thread = Thread.objects.get(pk=answered.pk)
    assert thread.short_answer_confirmed_at.date() == timezone.now().date()
    assert thread.short_answer_review_by.strftime("%d/%m/%Y") == review_date(90)


def test_a_due_short_answer_asks_facilitators_to_check_it(answered, bob, alice):
    with_short_answer(answered, bob)
    Thread.objects.filter(pk=answered.pk).update(short_answer_review_by=timezone.localdate())
    assert "due for review" in client_as(alice).get(answered.get_absolute_url()).content.decode()


def test_removing_takes_the_short_answer_off_the_thread(answered, bob):
    with_short_answer(answered, bob)
    client = client_as(bob)
    assert client.post(reverse("short_answer_remove", args=[answered.pk])).status_code == 302
    assert "Hide abusive comments" not in client.get(answered.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name", ["short_answer_confirm", "short_answer_remove"])
def test_confirm_and_remove_refuse_get(answered, bob, name):
    assert client_as(bob).get(reverse(name, args=[answered.pk])).status_code == 405


def test_anonymous_is_sent_to_sign_in(answered, client):
    response = client.get(reverse("short_answer_edit", args=[answered.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_member_is_refused(answered, community):
    someone = UserFactory(username="someone")
    MembershipFactory(community=community, user=someone)
    assert client_as(someone).get(reverse("short_answer_edit", args=[answered.pk])).status_code == 403


def test_an_unanswered_question_has_no_short_answer_form(thread, bob):
    assert client_as(bob).get(reverse("short_answer_edit", args=[thread.pk])).status_code == 403


def test_an_outsider_gets_404_for_a_private_thread(private_thread, charlie):
    assert client_as(charlie).get(reverse("short_answer_edit", args=[private_thread.pk])).status_code == 404


def test_search_results_show_the_short_answer(answered, bob):
    with_short_answer(answered, bob)
    page = client_as(bob).get(reverse("search"), {"q": "election"}).content.decode()
    assert "Hide abusive comments" in page


def test_similar_questions_show_the_short_answer(answered, bob):
    with_short_answer(answered, bob)
    page = client_as(bob).get(reverse("similar_threads"), {"title": "Election comments"}).content.decode()
    assert "Hide abusive comments" in page


def test_thread_preview_points_out_the_community_s_jargon(community, bob):
    CommunityForumSettings.objects.create(community=community, jargon_words="purdah\nstakeholder")
    response = client_as(bob).post(
        reverse("thread_new", args=[community.slug]),
        {"title": "Purdah", "kind": "question", "body": "What are the purdah rules?", "preview": "1"},
    )
    page = response.content.decode()
    assert "Your community asks members to explain or avoid: purdah." in page
    assert "What are the purdah rules?" in page


def test_reply_preview_shows_the_writing_check(thread, bob):
    opening = thread.posts.get(parent=None)
    response = client_as(bob).post(reverse("post_reply", args=[opening.pk]), {"body": "Short.", "preview": "1"})
    assert "Check your writing" in response.content.decode()


def test_facilitators_edit_the_jargon_list(community, alice):
    response = client_as(alice).post(
        reverse("forum_settings", args=[community.slug]), {"allowed_tags": "", "jargon_words": "KPI\nsynergy, KPI"}
    )
    assert response.status_code == 302
    assert CommunityForumSettings.objects.get(community=community).jargon_words == "KPI\nsynergy"


# Who knows about this


@pytest.fixture
def tagged(community, bob, alice):
    """Two tagged questions: alice's answers accepted in both, bob's reply marked helpful once."""
    threads = []
    for title in ["Floods one", "Floods two"]:
        thread = make_thread(community=community, author=bob, title=title, tags=["floods"])
        answer = make_reply(thread=thread, author=alice, body="Sandbags.")
        answer_accept(thread=thread, post=answer, by=bob)
        threads.append(thread)
    other = make_reply(thread=threads[0], author=bob, body="Warn people early.")
    helpful_mark(post=other, user=alice)
    return threads


def experts_section(page: str) -> str:
    return page.split('id="experts"', 1)[1]


def test_the_tag_page_lists_who_knows_most_first(tagged, bob):
    page = experts_section(client_as(bob).get(reverse("tag_threads", args=["floods"])).content.decode())
    assert page.index("Alice Facilitator") < page.index("Bob Member")
    assert "2 accepted answers, 0 helpful marks" in page
    assert "0 accepted answers, 1 helpful mark" in page


def test_answers_older_than_12_months_do_not_count(tagged, alice, bob):
    old = timezone.now() - datetime.timedelta(days=366)
    alice.posts.update(created_at=old)
    page = experts_section(client_as(bob).get(reverse("tag_threads", args=["floods"])).content.decode())
    assert "Alice Facilitator" not in page


def test_members_not_in_the_directory_are_not_listed(tagged, alice, bob):
    User.objects.filter(pk=alice.pk).update(status=User.Status.SUSPENDED)
    page = experts_section(client_as(bob).get(reverse("tag_threads", args=["floods"])).content.decode())
    assert "Alice Facilitator" not in page


def test_a_member_s_own_helpful_marks_do_not_count(tagged, bob):
    HelpfulMark.objects.all().delete()
    reply = bob.posts.exclude(parent=None).get()
    helpful_mark(post=reply, user=bob)
    page = experts_section(client_as(bob).get(reverse("tag_threads", args=["floods"])).content.decode())
    assert "Bob Member" not in page


def test_the_directory_sorts_by_who_knows_most_about_a_tag(tagged, bob, alice):
    UserFactory(username="aaron", display_name="Aaron First")
    response = client_as(bob).get(reverse("member_directory"), {"tag": "Floods", "sort": "expertise"})
    names = [person.username for person in response.context["page_obj"]]
    assert names[:2] == ["alice", "bob"]
    assert "2 accepted answers and helpful marks about" in response.content.decode()


def test_the_directory_asks_for_a_tag_to_sort_by_expertise(bob):
    response = client_as(bob).get(reverse("member_directory"), {"sort": "expertise"})
    assert "Enter a tag to sort by who knows most about it" in response.content.decode()


@pytest.mark.parametrize("experts", [2, 20])
def test_tag_page_query_count_is_fixed_with_experts(community, bob, experts, django_assert_max_num_queries):
    threads = bulk_threads(community=community, author=bob, count=experts, tag="floods")
    for number, thread in enumerate(threads):
        person = UserFactory(username=f"expert{number}")
        MembershipFactory(community=community, user=person)
        answer_accept(thread=thread, post=make_reply(thread=thread, author=person), by=bob)
    client = client_as(bob)
    # The tag page's own (tests/forums/test_query_counts.py), and three for the experts:
    # accepted answers, helpful marks, and the members named.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("tag_threads", args=["floods"]))
    assert response.status_code == 200


def test_a_short_answer_adds_no_query_to_the_thread_page(answered, bob, django_assert_max_num_queries):
    with_short_answer(answered, bob)
    client = client_as(bob)
    client.get(answered.get_absolute_url())
    caches["fragments"].clear()
    caches["pages"].clear()
    thread_outline.cache_clear()
    with django_assert_max_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(answered.get_absolute_url())
    assert "Confirm it is still true" in response.content.decode()


def test_the_review_queue_lists_short_answers_past_their_review_date(answered, bob, alice):
    with_short_answer(answered, bob)
    queue = reverse("community_review", args=[answered.community.slug])
    assert "Short answers to check" not in client_as(alice).get(queue).content.decode()
    Thread.objects.filter(pk=answered.pk).update(short_answer_review_by=timezone.localdate())
    page = client_as(alice).get(queue).content.decode()
    assert "Short answers to check" in page
    assert answered.title in page
