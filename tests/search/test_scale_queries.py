"""scale_queries: realistic search queries drawn from the words the seeded posts hold."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command

from forums.models import Post

pytestmark = pytest.mark.django_db

SIZES = {"members": 15, "communities": 4, "threads": 20, "posts": 400, "big_thread_replies": 30, "verbosity": 0}


@pytest.fixture
def queries(tmp_path) -> list[list[str]]:
    call_command("seed_scale", **SIZES)
    path = tmp_path / "queries.tsv"
    call_command("scale_queries", str(path), per_kind=5, verbosity=0)
    return [line.split("\t") for line in path.read_text().splitlines()]


def findable_posts():
    return Post.objects.filter(status=Post.Status.PUBLISHED, thread__is_hidden=False)


def posts_holding(words: str) -> int:
    return findable_posts().filter(search_vector=SearchQuery(words, config="english")).count()


def test_there_are_common_and_rare_queries_of_one_two_and_three_words(queries):
    kinds = {(kind, size) for _words, kind, size in queries}
    assert kinds == {(kind, str(size)) for kind in ("common", "rare") for size in (1, 2, 3)}


def test_each_line_has_as_many_words_as_it_says(queries):
    assert all(len(words.split()) == int(size) for words, _kind, size in queries)


def test_each_common_word_is_in_five_to_twenty_percent_of_posts(queries):
    posts = findable_posts().count()
    for words, kind, _size in queries:
        if kind == "common":
            assert all(0.05 * posts <= posts_holding(word) <= 0.2 * posts for word in words.split())


def test_each_rare_word_is_in_one_post_on_a_small_data_set(queries):
    assert all(posts_holding(words.split()[0]) == 1 for words, kind, _size in queries if kind == "rare")


def test_each_rare_query_finds_a_post(queries):
    assert all(posts_holding(words) >= 1 for words, kind, _size in queries if kind == "rare")


def test_the_same_seed_writes_the_same_queries(queries, tmp_path):
    call_command("scale_queries", str(tmp_path / "again.tsv"), per_kind=5, verbosity=0)
    assert [line.split("\t") for line in (tmp_path / "again.tsv").read_text().splitlines()] == queries
