"""The search page and the similar-questions fragment over HTTP."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import Post, Thread
from members.models import User
from tests.factories import CommunityFactory, MembershipFactory, UserFactory, make_reply, make_thread
from tests.matrix import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(bob):
    community = CommunityFactory(name="Crisis comms", slug="crisis-comms")
    MembershipFactory(community=community, user=bob)
    return community


@pytest.fixture
def private(alice):
    community = CommunityFactory(name="Press officers", slug="press-officers", visibility="private")
    MembershipFactory(community=community, user=alice)
    return community


def search(client, **params):
    return client.get(reverse("search"), params)


def text(response) -> str:
    """The page without highlighting, so titles read as written."""
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def test_search_page_lists_matching_threads_linking_to_the_matching_post(community, bob, alice):
    MembershipFactory(community=community, user=alice)
    thread = make_thread(community=community, author=bob, title="Flood warnings", body="What do you send?")
    reply = make_reply(thread=thread, author=alice, body="We send sandbag locations by text.")
    response = search(client_as(bob), q="sandbag")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 thread found" in body
    assert "Flood warnings" in body and "Crisis comms" in body
    assert f'href="/posts/{reply.pk}/"' in body
    assert "<mark>sandbag</mark>" in body


def test_search_page_without_a_query_offers_popular_tags(community, bob):
    make_thread(community=community, author=bob, title="Flood warnings", tags=["floods"])
    response = search(client_as(bob))
    assert response.status_code == 200
    assert "Popular topics" in text(response)
    assert "floods" in text(response)
    assert "There is a problem" not in text(response)


def test_anonymous_visitors_search_public_communities(community, bob):
    make_thread(community=community, author=bob, title="Storm naming")
    response = search(client_as(None), q="storm")
    assert response.status_code == 200
    assert "Storm naming" in text(response)


def test_post_to_search_is_not_allowed(bob):
    assert client_as(bob).post(reverse("search"), {"q": "x"}).status_code == 405


def test_outsider_sees_nothing_from_a_private_community(private, alice, charlie):
    make_thread(community=private, author=alice, title="Embargoed statement")
    response = search(client_as(charlie), q="embargoed")
    assert response.status_code == 200
    assert "Embargoed statement" not in text(response)
    assert "No discussions found" in text(response)


def test_outsider_cannot_filter_by_a_private_community(private, alice, charlie):
    make_thread(community=private, author=alice, title="Embargoed statement")
    response = search(client_as(charlie), q="embargoed", community=private.slug)
    assert response.status_code == 200
    assert "Choose a community from the list" in text(response)
    assert "Embargoed statement" not in text(response)
    assert "Press officers" not in text(response)


def test_community_filter_is_offered_and_kept(community, private, alice):
    make_thread(community=private, author=alice, title="Embargoed statement")
    response = search(client_as(alice), q="embargoed", community=private.slug)
    body = text(response)
    assert "Embargoed statement" in body
    assert f'<option value="{private.slug}" selected>' in body


def test_filters_are_kept_in_the_form(community, bob):
    response = search(client_as(bob), q="storm", kind="question", answered="yes", date_from="2026-01-02")
    body = text(response)
    assert 'value="storm"' in body
    assert '<option value="question" selected>' in body
    assert 'value="yes" checked' in body
    assert 'value="2026-01-02"' in body


@pytest.mark.parametrize("typed", ["2/1/2026", "02/01/2026", "2026-01-02", "2 1 2026", "2 January 2026", "2 Jan 2026"])
def test_dates_are_read_as_people_write_them(community, bob, typed):
    make_thread(community=community, author=bob, title="Storm naming")  # written today
    since = text(search(client_as(bob), q="storm", date_from=typed))
    assert "Storm naming" in since and f'value="{typed}"' in since
    until = text(search(client_as(bob), q="storm", date_to=typed))
    assert "No discussions found" in until


def test_a_date_that_is_not_a_date_comes_back_as_typed(community, bob):
    body = text(search(client_as(bob), q="storm", date_to="31/02/2026"))
    assert "Enter a real date for the end, for example 27/3/2026" in body
    assert 'name="date_to" value="31/02/2026"' in body
    assert 'type="date"' not in body


def test_a_tag_can_be_given_as_it_is_shown(community, bob):
    make_thread(community=community, author=bob, title="Storm policy", tags=["social media policy"])
    make_thread(community=community, author=bob, title="Storm rota", tags=["rotas"])
    body = text(search(client_as(bob), q="storm", tag="Social media policy"))
    assert "Storm policy" in body and "Storm rota" not in body


def test_unanswered_filter_through_the_page(community, bob, alice):
    MembershipFactory(community=community, user=alice)
    answered = make_thread(community=community, author=bob, title="Evacuation answered")
    make_thread(community=community, author=bob, title="Evacuation open")
    answer = make_reply(thread=answered, author=alice, body="Like this.")
    Thread.objects.filter(pk=answered.pk).update(accepted_answer=answer)
    body = text(search(client_as(bob), q="evacuation", answered="no"))
    assert "Evacuation open" in body and "Evacuation answered" not in body


def test_results_are_paginated_and_keep_the_query_string(community, bob, no_rate_limits):
    for n in range(21):
        make_thread(community=community, author=bob, title=f"Heatwave advice {n}")
    body = text(search(client_as(bob), q="heatwave", kind="question"))
    assert "21 threads found" in body
    assert body.count('class="app-search-result"') == 20
    assert "?q=heatwave&amp;kind=question&amp;page=2" in body
    page_two = text(search(client_as(bob), q="heatwave", kind="question", page=2))
    assert page_two.count('class="app-search-result"') == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "Search for 200 characters or fewer"),
        ({"q": "   "}, "Enter words to search for"),
        ({"q": "", "kind": "question"}, "Enter words to search for"),
        ({"q": "", "author": "nobody-here"}, "There is no member with that name or username"),
        ({"q": "storm", "date_from": "2026-02-30"}, "Enter a real date for the start"),
        ({"q": "storm", "date_to": "yesterday"}, "Enter a real date for the end"),
        ({"q": "storm", "date_from": "2026-05-01", "date_to": "2026-04-01"}, "must be the same as or after"),
        ({"q": "storm", "author": "nobody-here"}, "There is no member with that name or username"),
        ({"q": "storm", "author": " @ "}, "Enter a name or username after the @"),
        ({"q": "storm", "tag": "!!!"}, "Enter a tag using letters or numbers"),
        ({"q": "storm", "tag": "t" * 101}, "Tag must be 100 characters or fewer"),
        ({"q": "storm", "author": "a" * 151}, "Name or username must be 150 characters or fewer"),
        ({"q": "storm", "kind": "poem"}, "Choose a type from the list"),
        ({"q": "storm", "answered": "maybe"}, "Choose answered, not answered yet or any"),
    ],
)
def test_bad_input_shows_errors_not_a_server_error(community, bob, params, message):
    response = search(client_as(bob), **params)
    assert response.status_code == 200
    body = text(response)
    assert "There is a problem" in body
    assert message in body


@pytest.mark.parametrize(
    "unlisted",
    [
        {"status": "pending"},
        {"status": "rejected"},
        {"status": "suspended"},
        {"is_active": False},
        {"erased_at": timezone.now()},
    ],
)
def test_author_filter_does_not_reveal_unlisted_accounts(community, bob, unlisted):
    UserFactory(username="hidden-person", display_name="Hidden Person", **unlisted)
    for typed in ["hidden-person", "Hidden Person"]:
        body = text(search(client_as(bob), q="storm", author=typed))
        assert "There is no member with that name or username" in body


@pytest.mark.parametrize("typed", ["alice", "@Alice", "@ alice", "Alice Facilitator", "  alice   FACILITATOR "])
def test_author_filter_takes_a_name_or_a_username(community, alice, bob, typed):
    MembershipFactory(community=community, user=alice)
    by_alice = make_thread(community=community, author=alice, title="Storm warnings")
    make_thread(community=community, author=bob, title="Storm naming")
    response = search(client_as(bob), q="storm", author=typed)
    assert [row.thread for row in response.context["results"]] == [by_alice]


def test_author_filter_asks_for_a_username_when_a_name_is_shared(community, bob):
    UserFactory(username="tom-h", display_name="Tom Hughes")
    UserFactory(username="tom-hughes-2", display_name="Tom Hughes")
    body = text(search(client_as(bob), q="storm", author="tom hughes"))
    assert "More than one member is called Tom Hughes. Enter the username shown on their profile" in body


def test_a_name_shared_with_an_unlisted_account_is_not_ambiguous(community, bob):
    listed = UserFactory(username="tom-h", display_name="Tom Hughes")
    UserFactory(username="tom-pending", display_name="Tom Hughes", status="pending")
    MembershipFactory(community=community, user=listed)
    mine = make_thread(community=community, author=listed, title="Storm warnings")
    response = search(client_as(bob), q="storm", author="Tom Hughes")
    assert [row.thread for row in response.context["results"]] == [mine]


@pytest.mark.parametrize("viewer", ["visitor", "erin"])
def test_only_directory_users_may_name_an_author(community, alice, erin, viewer):
    # Anyone else could learn from the answer whether someone is a member.
    client = client_as(erin if viewer == "erin" else None)
    MembershipFactory(community=community, user=alice)
    make_thread(community=community, author=alice, title="Storm warnings")
    body = text(search(client, q="storm", author="Alice Facilitator"))
    assert "There is no member with that username" in body
    assert "A member's username" in body
    assert "A member's name or username" not in body
    assert "Storm warnings" in text(search(client, q="storm", author="alice"))


def test_a_visitor_s_over_long_author_is_told_of_usernames(community):
    body = text(search(client_as(None), q="storm", author="a" * 151))
    assert "Username must be 150 characters or fewer" in body


def test_symbols_only_query_is_harmless(community, bob):
    response = search(client_as(bob), q="'\"&|!:*() -- \\")
    assert response.status_code == 200
    assert "No discussions found" in text(response)


@pytest.mark.parametrize("query", ["for the", "-for", "&|!"])
def test_a_search_of_common_words_alone_says_why_it_finds_nothing(community, bob, query):
    make_thread(community=community, author=bob, title="What for?", body="For the record.")
    body = text(search(client_as(bob), q=query))
    assert "No discussions found" in body
    assert "Search leaves out very common words, such as “the” and “for”, and symbols." in body
    assert "Nothing you can see matches" not in body
    assert "use fewer or more general words" not in body


def test_a_search_with_words_to_use_says_nothing_matches(community, bob):
    body = text(search(client_as(bob), q="for tsunami"))
    assert "Nothing you can see matches “for tsunami”" in body
    assert "Search leaves out very common words" not in body


def test_empty_state_suggests_dropping_filters(community, bob):
    make_thread(community=community, author=bob, title="Storm naming", tags=["storms"])
    body = text(search(client_as(bob), q="tsunami", kind="announcement"))
    assert "No discussions found" in body
    assert "use fewer or more general words" in body
    assert "search again without the filters" in body
    assert "storms" in body


# Written by, without words: what one member wrote


def test_written_by_alone_lists_their_threads_newest_first(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    asked = make_thread(community=community, author=alice, title="Flood warnings")
    make_thread(community=community, author=bob, title="Storm naming")
    replied_to = make_thread(community=community, author=bob, title="Heatwave advice")
    make_reply(thread=replied_to, author=alice, body="We use the Met Office wording.")
    response = search(client_as(bob), author="alice")
    assert [row.thread for row in response.context["results"]] == [replied_to, asked]
    body = text(response)
    assert "2 threads found" in body
    assert "<title>Posts by Alice Facilitator" in body
    assert "There is a problem" not in body


def test_written_by_alone_shows_a_thread_once_by_their_newest_post_in_it(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    thread = make_thread(community=community, author=bob, title="Flood warnings")
    make_reply(thread=thread, author=alice, body="First thoughts.")
    latest = make_reply(thread=thread, author=alice, body="Second thoughts.")
    response = search(client_as(bob), author="alice")
    assert [row.pk for row in response.context["results"]] == [latest.pk]
    assert f'href="/posts/{latest.pk}/"' in response.content.decode()


def test_written_by_alone_shows_how_each_post_begins(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    words = [f"word{n}" for n in range(40)]
    make_thread(
        community=community, author=alice, title="Long question", body=f"**{words[0]}** " + " ".join(words[1:])
    )
    body = text(search(client_as(bob), author="alice"))
    assert " ".join(words[:30]) + " …" in body
    assert words[30] not in body
    assert "**" not in body


def test_written_by_alone_combines_with_other_filters(community, private, alice, bob):
    MembershipFactory(community=community, user=alice)
    make_thread(community=community, author=alice, title="Flood warnings")
    make_thread(community=private, author=alice, title="Embargoed statement")
    response = search(client_as(alice), author="alice", community=private.slug)
    assert [row.thread.title for row in response.context["results"]] == ["Embargoed statement"]


def test_written_by_alone_lists_only_what_the_reader_may_see(community, private, alice, bob):
    make_thread(community=private, author=alice, title="Embargoed statement")
    body = text(search(client_as(bob), author="alice"))
    assert "Embargoed statement" not in body
    assert "Alice Facilitator has written nothing you can see." in body


def test_written_by_alone_with_filters_offers_everything_they_wrote(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    make_thread(community=community, author=alice, title="Flood warnings")
    body = text(search(client_as(bob), author="alice", kind="announcement"))
    assert "Nothing you can see written by Alice Facilitator matches these filters." in body
    assert '<a class="govuk-link" href="/search/?author=alice">See everything Alice Facilitator wrote</a>' in body


@pytest.mark.parametrize("unseen", ["private", "deleted", "held", "hidden thread"])
def test_written_by_alone_with_filters_offers_no_link_to_nothing(community, private, alice, bob, unseen):
    # Bob may see none of what Alice wrote, so a link to all of it would lead nowhere.
    MembershipFactory(community=community, user=alice)
    thread = make_thread(community=private if unseen == "private" else community, author=alice, title="Statement")
    if unseen in {"deleted", "held"}:
        Post.objects.filter(thread=thread).update(status=unseen)
    if unseen == "hidden thread":
        Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    body = text(search(client_as(bob), author="alice", kind="announcement"))
    assert "No posts found" in body
    assert "Nothing you can see written by Alice Facilitator matches these filters." in body
    assert "See everything" not in body


def test_a_visitor_using_filters_is_offered_everything_by_username(community, alice):
    MembershipFactory(community=community, user=alice)
    make_thread(community=community, author=alice, title="Flood warnings")
    body = text(search(client_as(None), author="alice", kind="announcement"))
    assert '<a class="govuk-link" href="/search/?author=alice">See everything @alice wrote</a>' in body
    assert "Alice Facilitator" not in body


def test_a_member_s_name_is_escaped_in_the_heading_and_title(community, bob):
    UserFactory(username="co", display_name="<b>Al & Co</b>")
    body = search(client_as(bob), author="co").content.decode()
    assert "<title>Posts by &lt;b&gt;Al &amp; Co&lt;/b&gt;" in body
    assert '<h1 class="govuk-heading-l">Posts by &lt;b&gt;Al &amp; Co&lt;/b&gt;</h1>' in body


def test_pages_naming_an_author_are_never_kept(community, bob):
    # A member's name or status can change without any community's pages changing.
    loner = UserFactory(username="loner", display_name="Lone Ranger")
    assert "Posts by Lone Ranger" in text(search(client_as(bob), author="loner"))
    User.objects.filter(pk=loner.pk).update(display_name="Lone Wolf")
    assert "Posts by Lone Wolf" in text(search(client_as(bob), author="loner"))
    User.objects.filter(pk=loner.pk).update(status="suspended")
    assert "There is no member with that name or username" in text(search(client_as(bob), author="loner"))


def test_spaces_are_no_filter(community, bob):
    body = text(search(client_as(bob), q="tsunami", author=" ", tag="  ", date_from=" "))
    assert '<details class="govuk-details">' in body
    assert "with these filters" not in body and "search again without the filters" not in body


def test_written_by_alone_names_the_member_in_the_heading_with_the_filters_closed(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    make_thread(community=community, author=alice, title="Flood warnings")
    body = text(search(client_as(bob), author="alice"))
    assert '<h1 class="govuk-heading-l">Posts by Alice Facilitator</h1>' in body
    assert '<details class="govuk-details">' in body


@pytest.mark.parametrize(
    "params", [{"author": "alice", "q": "flood"}, {"author": "alice", "kind": "question"}, {"author": "nobody-here"}]
)
def test_filters_start_open_when_in_use_with_words_or_wrong(community, alice, bob, params):
    body = text(search(client_as(bob), **params))
    assert '<details class="govuk-details" open>' in body


def test_a_member_listing_their_own_posts_is_spoken_to(community, bob):
    body = text(search(client_as(bob), author="bob"))
    assert "<title>Your posts" in body and '<h1 class="govuk-heading-l">Your posts</h1>' in body
    assert "You have no posts to show." in body
    make_thread(community=community, author=bob, title="Flood warnings")
    assert "See everything" not in text(search(client_as(bob), author="bob"))
    body = text(search(client_as(bob), author="bob", kind="announcement"))
    assert "Nothing you wrote matches these filters." in body
    assert '<a class="govuk-link" href="/search/?author=bob">See everything you wrote</a>' in body


def test_written_by_alone_query_count_does_not_grow_with_results(
    community, alice, bob, django_assert_max_num_queries, no_rate_limits
):
    MembershipFactory(community=community, user=alice)
    client = client_as(bob)
    _make_matching_threads(community, alice, 2)
    with django_assert_max_num_queries(12) as few:
        assert search(client, author="alice").status_code == 200
    _make_matching_threads(community, alice, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = text(search(client, author="alice"))
    assert "27 threads found" in body


def test_written_by_alone_reads_more_posts_than_a_search_ranks(community, alice, bob, monkeypatch):
    # A busy thread of theirs must not crowd the others out of the list.
    monkeypatch.setattr("search.ranking.CANDIDATE_LIMIT", 2)
    MembershipFactory(community=community, user=alice)
    older = make_thread(community=community, author=alice, title="Older question")
    busy = make_thread(community=community, author=bob, title="Busy thread")
    for n in range(3):
        make_reply(thread=busy, author=alice, body=f"Reply {n}")
    response = search(client_as(bob), author="alice")
    assert [row.thread for row in response.context["results"]] == [busy, older]
    body = text(response)
    assert "2 threads found" in body
    assert "in the most recent posts" not in body and "There may be more" not in body


def test_written_by_alone_says_when_older_posts_were_left_out(community, alice, bob, monkeypatch):
    monkeypatch.setattr("search.engine.WRITTEN_BY_LIMIT", 2)
    MembershipFactory(community=community, user=alice)
    for n in range(3):
        make_thread(community=community, author=alice, title=f"Question {n}")
    response = search(client_as(bob), author="alice")
    assert [row.thread.title for row in response.context["results"]] == ["Question 2", "Question 1"]
    body = text(response)
    assert "2 threads found in the most recent posts" in body
    assert "There may be more in older posts. Use the dates in the filters to see older ones." in body
    assert '<details class="govuk-details" open>' in body


def test_written_by_alone_lists_by_time_even_when_ids_run_the_other_way(community, alice, bob, monkeypatch):
    monkeypatch.setattr("search.engine.WRITTEN_BY_LIMIT", 2)
    MembershipFactory(community=community, user=alice)
    now = timezone.now()
    for n in range(3):  # the first made is the newest
        thread = make_thread(community=community, author=alice, title=f"Question {n}")
        Post.objects.filter(thread=thread).update(created_at=now - datetime.timedelta(days=n))
    response = search(client_as(bob), author="alice")
    assert [row.thread.title for row in response.context["results"]] == ["Question 0", "Question 1"]


def test_written_by_alone_orders_by_real_time_when_the_clocks_go_back(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    # 01:30 British Summer Time comes before 01:10 Greenwich Mean Time on 25 October 2026.
    for title, utc_time in [("Earlier, at 01:30 BST", "00:30"), ("Later, at 01:10 GMT", "01:10")]:
        thread = make_thread(community=community, author=alice, title=title)
        when = datetime.datetime.fromisoformat(f"2026-10-25T{utc_time}:00+00:00")
        Post.objects.filter(thread=thread).update(created_at=when)
    response = search(client_as(bob), author="alice")
    assert [row.thread.title for row in response.context["results"]] == [
        "Later, at 01:10 GMT",
        "Earlier, at 01:30 BST",
    ]


def test_written_by_alone_shows_the_opening_words_as_text(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    make_thread(community=community, author=alice, title="Tags", body="Tom & Jerry say `<b>` means **bold**")
    body = search(client_as(bob), author="alice").content.decode()
    assert "Tom &amp; Jerry say &lt;b&gt; means bold" in body
    assert "&amp;amp;" not in body and "&amp;lt;" not in body


@pytest.mark.parametrize("viewer", ["visitor", "erin"])
def test_written_by_alone_never_tells_a_username_s_name_to_those_who_may_not_look_names_up(
    community, private, alice, erin, viewer
):
    make_thread(community=private, author=alice, title="Embargoed statement")
    body = text(search(client_as(erin if viewer == "erin" else None), author="alice"))
    assert "<title>Posts by @alice" in body
    assert "@alice has written nothing you can see." in body
    assert "Alice Facilitator" not in body


def test_an_author_who_is_not_found_is_the_only_error(community, bob):
    body = text(search(client_as(bob), author="nobody-here"))
    assert "There is no member with that name or username" in body
    assert "Enter words to search for" not in body


def test_an_author_of_spaces_alone_asks_for_words(community, bob):
    body = text(search(client_as(bob), author="   "))
    assert "Enter words to search for" in body
    assert "threads found" not in body


def test_written_by_with_a_date_that_is_not_a_date_shows_the_error_not_results(community, alice, bob):
    MembershipFactory(community=community, user=alice)
    make_thread(community=community, author=alice, title="Flood warnings")
    body = text(search(client_as(bob), author="alice", date_from="31/02/2026"))
    assert "<title>Error: Search" in body
    assert "Enter a real date for the start" in body
    assert "Flood warnings" not in body
    assert 'name="author" value="alice"' in body


def test_written_by_alone_past_the_last_page_shows_the_last_page(community, alice, bob, no_rate_limits):
    MembershipFactory(community=community, user=alice)
    _make_matching_threads(community, alice, 21)
    response = search(client_as(bob), author="alice", page=9)
    assert response.context["page_obj"].number == 2
    assert [row.thread.title for row in response.context["results"]] == ["Winter vaccines 0"]


# The page title


def test_page_title_quotes_the_words_searched_for(community, bob):
    assert "<title>Search results for “storm”" in text(search(client_as(bob), q="storm  "))


def test_page_title_quotes_a_quoted_phrase_with_single_quotes(community, bob):
    assert "<title>Search results for ‘&quot;too quiet&quot; library’" in text(
        search(client_as(bob), q='"too quiet" library')
    )


def test_page_title_says_error_when_the_search_cannot_run(community, bob):
    body = text(search(client_as(bob), q="storm", date_to="yesterday"))
    assert "<title>Error: Search" in body
    assert "Search results for" not in body


def _make_matching_threads(community, author, count: int) -> None:
    for n in range(count):
        thread = make_thread(community=community, author=author, title=f"Winter vaccines {n}", tags=["vaccines"])
        make_reply(thread=thread, author=author, body="Winter vaccines campaign worked well.")


def test_search_page_query_count_does_not_grow_with_results(
    community, bob, django_assert_max_num_queries, no_rate_limits
):
    client = client_as(bob)
    _make_matching_threads(community, bob, 2)
    with django_assert_max_num_queries(12) as few:
        assert search(client, q="winter vaccines").status_code == 200
    _make_matching_threads(community, bob, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = text(search(client, q="winter vaccines"))
    assert "27 threads found" in body


@pytest.mark.parametrize(
    ("limit", "heading", "left_unranked"),
    [(2, "2 threads found in the most recent posts", True), (6, "3 threads found", False)],
)
def test_search_page_says_whether_some_matches_were_left_unranked(
    community, bob, monkeypatch, limit, heading, left_unranked
):
    monkeypatch.setattr("search.ranking.CANDIDATE_LIMIT", limit)
    _make_matching_threads(community, bob, 3)
    body = text(search(client_as(bob), q="winter vaccines"))
    assert heading in body
    assert ("in the most recent posts" in body) is left_unranked
    assert ("There may be more in older posts" in body) is left_unranked


def test_search_results_follow_new_posts_at_once(community, bob):
    client = client_as(bob)
    _make_matching_threads(community, bob, 1)
    assert "1 thread found" in text(search(client, q="winter vaccines"))
    _make_matching_threads(community, bob, 1)
    assert "2 threads found" in text(search(client, q="winter vaccines"))


def test_a_repeated_search_is_served_from_the_cache(community, bob, django_assert_max_num_queries):
    client = client_as(bob)
    _make_matching_threads(community, bob, 3)
    search(client, q="winter vaccines")
    with django_assert_max_num_queries(
        5
    ):  # session, user, content version; for the header: notifications, communities bob moderates
        assert "3 threads found" in text(search(client, q="winter vaccines"))


def test_a_search_with_a_made_up_parameter_is_never_kept(community, bob, django_assert_max_num_queries):
    client = client_as(bob)
    _make_matching_threads(community, bob, 3)
    search(client, q="winter vaccines")
    with django_assert_max_num_queries(5) as repeated:
        search(client, q="winter vaccines")
    assert search(client, q="winter vaccines", utm_source="newsletter").status_code == 200
    with django_assert_max_num_queries(20) as made_up:
        search(client, q="winter vaccines", utm_source="newsletter")
    assert len(made_up) > len(repeated)  # searched again: nothing was kept for it


def test_a_visitor_s_cached_search_is_not_a_member_s(community, private, bob, alice):
    _make_matching_threads(community, bob, 1)
    _make_matching_threads(private, alice, 1)
    assert "1 thread found" in text(search(client_as(None), q="winter vaccines"))
    assert "2 threads found" in text(search(client_as(alice), q="winter vaccines"))


# Similar threads


def test_similar_threads_fragment_lists_visible_lookalikes(community, private, bob, alice):
    make_thread(community=community, author=bob, title="Comments on Facebook during the election period")
    make_thread(community=private, author=alice, title="Facebook comments from councillors")
    response = client_as(bob).get(reverse("similar_threads"), {"title": "Facebook comments"})
    assert response.status_code == 200
    body = text(response)
    assert "Comments on Facebook during the election period" in body
    assert "councillors" not in body
    assert "<html" not in body


def test_similar_threads_fragment_for_an_empty_title_is_empty(community, bob):
    response = client_as(None).get(reverse("similar_threads"))
    assert response.status_code == 200
    assert "Similar questions" not in text(response)


def test_similar_threads_fragment_rejects_post(bob):
    assert client_as(bob).post(reverse("similar_threads"), {"title": "x"}).status_code == 405


def test_similar_threads_query_count_is_fixed(community, bob, django_assert_num_queries, no_rate_limits):
    for n in range(8):
        make_thread(community=community, author=bob, title=f"Staff survey questions {n}")
    client = client_as(bob)
    # session, user, the site's content version, the communities they may read, the suggestions
    with django_assert_num_queries(5):
        response = client.get(reverse("similar_threads"), {"title": "staff survey"})
    assert text(response).count("<li>") == 5


def test_held_reply_is_found_by_its_author_but_not_by_others(community, bob, charlie):
    thread = make_thread(community=community, author=bob, title="Tools", body="Ideas?")
    reply = make_reply(thread=thread, author=bob, body="Quokka analytics dashboards.")
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.HELD)
    found = text(search(client_as(bob), q="quokka"))
    assert "Tools" in found and "Awaiting approval" in found
    assert "No discussions found" in text(search(client_as(charlie), q="quokka"))


def test_a_hidden_post_found_by_a_facilitator_says_it_is_hidden(community, bob, alice):
    MembershipFactory(community=community, user=alice, role="facilitator")
    thread = make_thread(community=community, author=bob, title="Tools", body="Ideas?")
    reply = make_reply(thread=thread, author=bob, body="Quokka analytics dashboards.")
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.HIDDEN)
    found = text(search(client_as(alice), q="quokka"))
    assert "Tools" in found and "Hidden by a facilitator" in found


@pytest.mark.parametrize(
    ("kind", "body", "when"),
    [
        (Thread.Kind.QUESTION, "Quokka?", "asked"),
        (Thread.Kind.DISCUSSION, "Quokka.", "posted"),
        (Thread.Kind.QUESTION, "Ideas?", "replied"),  # only the reply matches
    ],
)
def test_a_result_says_whether_its_post_asked_posted_or_replied(community, bob, kind, body, when):
    thread = make_thread(community=community, author=bob, title="Tools", body=body, kind=kind)
    make_reply(thread=thread, author=bob, body="Quokka analytics.")
    meta = re.search(r'class="govuk-body-s app-meta[^"]*">(.*?)</p>', text(search(client_as(bob), q="quokka")), re.S)
    assert re.search(rf"·\s+{when} <time", meta.group(1))


def test_the_kept_filters_tell_each_viewer_how_to_name_an_author(community, bob):
    # The filters are kept while none is chosen; a member and a visitor offered the
    # same communities must still each see their own hint.
    assert "A member's name or username" in text(search(client_as(bob), q="storm"))
    visitor_page = text(search(client_as(None), q="storm"))
    assert "A member's username" in visitor_page
    assert "A member's name or username" not in visitor_page


def test_results_show_marked_titles_and_escape_what_members_wrote(bob):
    community = CommunityFactory(name="<b>Comms</b> & Co", slug="comms-and-co")
    MembershipFactory(community=community, user=bob)
    make_thread(community=community, author=bob, title="Quokka <i>tips</i>", body="Quokka.")
    body = search(client_as(bob), q="quokka").content.decode()
    assert "<mark>Quokka</mark> &lt;i&gt;tips&lt;/i&gt;" in body
    assert "in &lt;b&gt;Comms&lt;/b&gt; &amp; Co" in body


def test_a_result_s_date_is_shown_in_uk_time(community, bob):
    thread = make_thread(community=community, author=bob, title="Quokka", body="Quokka.")
    late_evening_utc = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 1 July, 00:30 BST
    Post.objects.filter(thread=thread).update(created_at=late_evening_utc)
    body = search(client_as(bob), q="quokka").content.decode()
    assert '<time datetime="2026-07-01T00:30:00+01:00">1 Jul 2026</time>' in body
