"""The search engine (search.engine, search.ranking, search.rows): relevance, syntax, grouping, filters, snippets."""

import datetime

import pytest
from django.utils import timezone

from forums.models import Post, Thread
from search.engine import search_threads
from search.rows import MARK_START, MARK_STOP, add_snippets, safe_snippet
from tests.factories import CommunityFactory, MembershipFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(bob, alice):
    community = CommunityFactory(name="Social media", slug="social-media")
    MembershipFactory(community=community, user=bob)
    MembershipFactory(community=community, user=alice)
    return community


def titles(rows) -> list[str]:
    return [row.thread.title for row in rows]


def test_exact_title_match_outranks_a_passing_mention(community, bob):
    mention = make_thread(community=community, author=bob, title="Scheduling tools", body="Something else.")
    make_reply(thread=mention, author=bob, body="By the way, the budget consultation closes on Friday.")
    make_thread(community=community, author=bob, title="Budget consultation", body="How did yours go?")
    assert titles(search_threads(bob, query="budget consultation")) == ["Budget consultation", "Scheduling tools"]


def test_title_match_outranks_a_body_that_repeats_the_word(community, bob):
    make_thread(community=community, author=bob, title="Our week", body="Flooding, flooding, flooding and flooding.")
    make_thread(community=community, author=bob, title="Flooding statements", body="What do you say?")
    assert titles(search_threads(bob, query="flooding"))[0] == "Flooding statements"


def test_stemming_finds_the_singular_from_the_plural(community, bob):
    make_thread(community=community, author=bob, title="Residents' views", body="We ran a consultation in May.")
    assert titles(search_threads(bob, query="consultations")) == ["Residents' views"]


def test_quoted_phrase_matches_only_words_together(community, bob):
    make_thread(community=community, author=bob, title="One", body="Our press release template is attached.")
    make_thread(community=community, author=bob, title="Two", body="Release the statement to the press later.")
    assert titles(search_threads(bob, query='"press release"')) == ["One"]


@pytest.mark.parametrize(
    ("threads", "query", "expected"),
    [
        ([("Flood warnings", "Sirens."), ("Flood and school closures", "Buses.")], "flood -school", "Flood warnings"),
        ([("Social media rota", "Who covers Facebook?"), ("Social media budget", "How much?")], "social -facebook",
         "Social media budget"),
    ],
    ids=["in a title", "in the body of a title match"],
)  # fmt: skip
def test_minus_excludes_a_word(community, bob, threads, query, expected):
    for title, body in threads:
        make_thread(community=community, author=bob, title=title, body=body)
    assert titles(search_threads(bob, query=query)) == [expected]


def test_minus_excludes_a_word_in_the_title_from_every_post_of_the_thread(community, bob):
    thread = make_thread(community=community, author=bob, title="Facebook comments", body="Social media policy?")
    make_reply(thread=thread, author=bob, body="Our social media team hides them.")
    make_thread(community=community, author=bob, title="Instagram", body="Social media only.")
    assert titles(search_threads(bob, query="social -facebook")) == ["Instagram"]


def test_words_split_between_the_title_and_a_post_match_together(community, bob, alice):
    thread = make_thread(community=community, author=bob, title="Facebook comments", body="Do you hide them?")
    reply = make_reply(thread=thread, author=alice, body="Only in the pre-election period.")
    assert [row.pk for row in search_threads(bob, query="facebook pre-election")] == [reply.pk]


def test_or_matches_either_word(community, bob):
    make_thread(community=community, author=bob, title="Storm Darragh", body="Trees down.")
    make_thread(community=community, author=bob, title="Flood warnings", body="Sirens.")
    make_thread(community=community, author=bob, title="Staff survey", body="Questions.")
    assert sorted(titles(search_threads(bob, query="storm or flood"))) == ["Flood warnings", "Storm Darragh"]


def test_only_stop_words_find_nothing(community, bob):
    make_thread(community=community, author=bob, title="The and of", body="The and of.")
    assert list(search_threads(bob, query="the and")) == []


def test_a_thread_appears_once_shown_by_its_best_matching_post(community, bob, alice):
    thread = make_thread(community=community, author=bob, title="Tools", body="Which scheduler do you use?")
    make_reply(thread=thread, author=alice, body="Hootsuite.")
    best = make_reply(thread=thread, author=alice, body="Hootsuite, and Hootsuite again: Hootsuite for everything.")
    make_reply(thread=thread, author=bob, body="We tried Hootsuite once.")
    rows = list(search_threads(bob, query="hootsuite"))
    assert [row.pk for row in rows] == [best.pk]


def test_title_only_match_is_shown_by_its_opening_post(community, bob):
    thread = make_thread(community=community, author=bob, title="Purdah guidance", body="Anything new this year?")
    rows = list(search_threads(bob, query="purdah"))
    assert [row.pk for row in rows] == [thread.posts.get(parent=None).pk]


def test_recent_activity_ranks_higher_among_equal_matches(community, bob):
    old = make_thread(community=community, author=bob, title="Alt text", body="How long?")
    Thread.objects.filter(pk=old.pk).update(
        title="Alt text old", last_activity_at=timezone.now() - datetime.timedelta(days=400)
    )
    make_thread(community=community, author=bob, title="Alt text new", body="How long?")
    assert titles(search_threads(bob, query="alt text")) == ["Alt text new", "Alt text old"]


def test_answered_threads_rank_higher_among_equal_matches(community, bob, alice):
    unanswered = make_thread(community=community, author=bob, title="Captions unanswered", body="Tools?")
    answered = make_thread(community=community, author=bob, title="Captions answered", body="Tools?")
    answer = make_reply(thread=answered, author=alice, body="Use the built-in ones.")
    Thread.objects.filter(pk=answered.pk).update(accepted_answer=answer, last_activity_at=unanswered.last_activity_at)
    Thread.objects.filter(pk=unanswered.pk).update(last_activity_at=unanswered.last_activity_at)
    assert titles(search_threads(bob, query="captions")) == ["Captions answered", "Captions unanswered"]


def test_deleted_posts_never_match(community, bob, dora):
    thread = make_thread(community=community, author=bob, title="Tools", body="Ideas?")
    reply = make_reply(thread=thread, author=bob, body="Zeppelin analytics.")
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.DELETED)
    assert list(search_threads(bob, query="zeppelin")) == []
    assert list(search_threads(dora, query="zeppelin")) == []


# Bounded ranking: matches left unranked are said, not hidden


@pytest.fixture
def ranking_limit(monkeypatch):
    monkeypatch.setattr("search.ranking.CANDIDATE_LIMIT", 2)
    return 2


def _threads_with_matching_replies(community, author, count: int) -> list:
    threads = [
        make_thread(community=community, author=author, title=f"Tools {n}", body="Ideas?") for n in range(count)
    ]
    for thread in threads:
        make_reply(thread=thread, author=author, body="Hootsuite.")
    return threads


def test_only_the_newest_matching_posts_up_to_the_limit_are_ranked(community, bob, ranking_limit):
    oldest, *newest = _threads_with_matching_replies(community, bob, ranking_limit + 1)
    results = search_threads(bob, query="hootsuite")
    assert sorted(titles(results)) == sorted(thread.title for thread in newest)
    assert results.is_cut_short


def test_matches_older_than_the_newest_posts_are_ranked_when_those_hold_too_few(
    community, bob, monkeypatch, no_rate_limits
):
    monkeypatch.setattr("search.ranking.RECENT_WINDOW", 1)  # the newest post alone
    threads = _threads_with_matching_replies(community, bob, 3)
    make_thread(community=community, author=bob, title="Newest", body="Nothing to find.")
    results = search_threads(bob, query="hootsuite")
    assert sorted(titles(results)) == sorted(thread.title for thread in threads)
    assert not results.is_cut_short


def test_with_too_few_among_the_newest_posts_the_newest_matches_of_all_are_ranked(
    community, bob, monkeypatch, ranking_limit
):
    monkeypatch.setattr("search.ranking.RECENT_WINDOW", 1)  # the newest post alone, which matches
    oldest, *newest = _threads_with_matching_replies(community, bob, ranking_limit + 1)
    results = search_threads(bob, query="hootsuite")
    assert sorted(titles(results)) == sorted(thread.title for thread in newest)
    assert results.is_cut_short


def test_results_are_cut_short_when_more_posts_match_in_one_thread(community, bob, alice, ranking_limit):
    thread = make_thread(community=community, author=bob, title="Tools", body="Which scheduler?")
    for _ in range(ranking_limit + 1):
        make_reply(thread=thread, author=alice, body="Hootsuite.")
    results = search_threads(bob, query="hootsuite")
    assert results.count() == 1
    assert results.is_cut_short


def test_only_the_newest_matching_titles_up_to_the_limit_are_ranked(community, bob, ranking_limit):
    for n in range(ranking_limit + 1):
        make_thread(community=community, author=bob, title=f"Purdah guidance {n}", body="Anything new?")
    results = search_threads(bob, query="purdah")
    assert sorted(titles(results)) == [f"Purdah guidance {n}" for n in range(1, ranking_limit + 1)]
    assert results.is_cut_short


def test_an_older_title_match_is_ranked_when_newer_posts_fill_the_limit(community, bob, ranking_limit, no_rate_limits):
    make_thread(community=community, author=bob, title="Purdah guidance", body="Anything new?")
    for n in range(ranking_limit + 1):
        thread = make_thread(community=community, author=bob, title=f"Tools {n}", body="Ideas?")
        make_reply(thread=thread, author=bob, body="Purdah rules apply.")
    results = search_threads(bob, query="purdah")
    assert titles(results)[0] == "Purdah guidance"
    assert len(results) == ranking_limit + 1  # the newest replies, and the title match
    assert results.is_cut_short


def test_a_title_match_whose_opening_is_held_is_shown_by_a_reply(community, bob, alice):
    thread = make_thread(community=community, author=bob, title="Purdah guidance", body="Anything new?")
    reply = make_reply(thread=thread, author=alice, body="Nothing yet.")
    Post.objects.filter(thread=thread, parent=None).update(status=Post.Status.HELD)
    assert [row.pk for row in search_threads(alice, query="purdah")] == [reply.pk]


def test_results_at_exactly_the_limit_are_not_cut_short(community, bob, ranking_limit, no_rate_limits):
    _threads_with_matching_replies(community, bob, ranking_limit)
    for n in range(ranking_limit):
        make_thread(community=community, author=bob, title=f"Purdah guidance {n}", body="Anything new?")
    assert search_threads(bob, query="hootsuite").count() == ranking_limit
    assert not search_threads(bob, query="hootsuite").is_cut_short
    assert search_threads(bob, query="purdah").count() == ranking_limit
    assert not search_threads(bob, query="purdah").is_cut_short


def test_among_equal_matches_in_one_thread_the_earlier_post_is_shown(community, bob, alice):
    thread = make_thread(community=community, author=bob, title="Tools", body="Which scheduler?")
    earlier = make_reply(thread=thread, author=alice, body="Hootsuite.")
    make_reply(thread=thread, author=bob, body="Hootsuite.")
    assert [row.pk for row in search_threads(bob, query="hootsuite")] == [earlier.pk]


def test_among_equal_matches_in_different_threads_the_newer_post_comes_first(community, bob):
    older, newer = _threads_with_matching_replies(community, bob, 2)
    Thread.objects.filter(pk__in=[older.pk, newer.pk]).update(last_activity_at=older.last_activity_at)
    assert titles(search_threads(bob, query="hootsuite")) == [newer.title, older.title]


# Filters


@pytest.fixture
def two_communities(community, bob, alice):
    other = CommunityFactory(name="Internal comms", slug="internal-comms")
    MembershipFactory(community=other, user=bob)
    MembershipFactory(community=other, user=alice)
    question = make_thread(community=community, author=bob, title="Intranet search", tags=["intranet"])
    discussion = make_thread(
        community=other, author=alice, title="Intranet redesign", kind=Thread.Kind.DISCUSSION, body="Intranet."
    )
    return community, other, question, discussion


def test_filter_by_community(two_communities, bob):
    community, other, question, discussion = two_communities
    assert titles(search_threads(bob, query="intranet", community=other)) == ["Intranet redesign"]


def test_filter_by_tag(two_communities, bob):
    assert titles(search_threads(bob, query="intranet", tag="intranet")) == ["Intranet search"]


def test_filter_by_author(two_communities, bob, alice):
    assert titles(search_threads(bob, query="intranet", author=alice)) == ["Intranet redesign"]


def test_filter_by_kind(two_communities, bob):
    assert titles(search_threads(bob, query="intranet", kind=Thread.Kind.DISCUSSION)) == ["Intranet redesign"]


def test_filter_by_answered_and_unanswered_questions(two_communities, bob, alice):
    community, other, question, discussion = two_communities
    make_thread(community=community, author=bob, title="Intranet migration", kind=Thread.Kind.QUESTION)
    answer = make_reply(thread=question, author=alice, body="Try this.")
    Thread.objects.filter(pk=question.pk).update(accepted_answer=answer)
    assert titles(search_threads(bob, query="intranet", answered=True)) == ["Intranet search"]
    # A discussion ("Intranet redesign") waits for no answer.
    assert titles(search_threads(bob, query="intranet", answered=False)) == ["Intranet migration"]


def test_filter_by_date_range(two_communities, bob):
    community, other, question, discussion = two_communities
    long_ago = timezone.now() - datetime.timedelta(days=100)
    Thread.objects.filter(pk=question.pk).update(created_at=long_ago)
    Post.objects.filter(thread=question).update(created_at=long_ago)
    today = timezone.localdate()
    assert titles(search_threads(bob, query="intranet", date_from=today)) == ["Intranet redesign"]
    before = today - datetime.timedelta(days=50)
    assert titles(search_threads(bob, query="intranet", date_to=before)) == ["Intranet search"]


def test_filters_combine(two_communities, bob, alice):
    community, other, question, discussion = two_communities
    assert list(search_threads(bob, query="intranet", community=community, author=alice)) == []


# Snippets


def test_snippet_escapes_html_in_posts_and_marks_matches(community, bob):
    make_thread(
        community=community, author=bob, title="Embeds", body='<script>alert("x")</script> <b>Budget</b> plans'
    )
    row = add_snippets(search_threads(bob, query="budget"))[0]
    assert "<mark>Budget</mark>" in row.snippet_html
    without_marks = row.snippet_html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_snippet_escapes_markup_characters(community, bob):
    make_thread(community=community, author=bob, title="Sums", body='Budget for Tom & Jerry\'s "plan"')
    row = add_snippets(search_threads(bob, query="budget"))[0]
    assert row.snippet_html.startswith("<mark>Budget</mark> for Tom &amp; Jerry&#x27;s &quot;plan")


def test_snippet_reads_as_the_post_does_not_as_its_markdown(community, bob):
    body = "Our **budget** is [on our site](https://example.com/budget-2026) &lt;draft&gt;.\n\n- Budget item"
    make_thread(community=community, author=bob, title="Sums", body=body)
    row = add_snippets(search_threads(bob, query="budget"))[0]
    # The post shows "<draft>" (the Markdown held entities), and so does the snippet.
    assert row.snippet_html == "<mark>budget</mark> is on our site &lt;draft&gt;. <mark>Budget</mark> item"


def test_snippet_keeps_punctuation_next_to_formatted_words(community, bob):
    body = "Say what the image is **for**, not just what it shows. Thanks, @bob.\n\n- The budget\n- Charts"
    make_thread(community=community, author=bob, title="Alt text", body=body)
    row = add_snippets(search_threads(bob, query="image"))[0]
    assert row.snippet_html == (
        "what the <mark>image</mark> is for, not just what it shows. Thanks, @bob. The budget Charts"
    )


def test_snippet_leaves_out_every_tag_even_ones_the_text_parser_misreads(community, bob):
    # PostgreSQL's parser does not take a tag whose attribute ends in a backslash for a tag.
    # (An uploaded image: a remote one would be made a link named by its alt text.)
    link, image = '[budget](https://example.com/x "Draft \\\\")', "![chart \\\\](/media/c.png)"
    body = f"Our {link} for the year {image} by month"
    make_thread(community=community, author=bob, title="Sums", body=body)
    row = add_snippets(search_threads(bob, query="budget"))[0]
    assert row.snippet_html == "<mark>budget</mark> for the year by month"


def test_title_is_highlighted_and_escaped(community, bob):
    make_thread(community=community, author=bob, title="<i>Budget</i> & you", body="Plans")
    row = add_snippets(search_threads(bob, query="budget"))[0]
    assert row.title_html == "&lt;i&gt;<mark>Budget</mark>&lt;/i&gt; &amp; you"


def test_safe_snippet_drops_unpaired_markers():
    text = f"{MARK_START}a{MARK_STOP} {MARK_START}b <x> {MARK_STOP}{MARK_STOP}"
    assert safe_snippet(text) == "<mark>a</mark> <mark>b &lt;x&gt; </mark>"
    assert safe_snippet(f"{MARK_START}<img>") == "&lt;img&gt;"
