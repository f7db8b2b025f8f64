"""What `make bench`'s random-traffic rows ask for (scripts/bench_traffic.py): Zipf-skewed
thread paths and the search query list."""

from collections import Counter

from scripts.bench_traffic import (
    common_and_rare,
    fallback_queries,
    format_queries,
    queries_by_label,
    read_queries,
    surface_forms,
    write_paths,
    zipf_draws,
)

PATHS = [f"/threads/{n}/t/" for n in range(1, 1001)]


def test_zipf_draws_are_the_same_for_the_same_seed():
    assert zipf_draws(PATHS, draws=500, seed=7) == zipf_draws(PATHS, draws=500, seed=7)


def test_zipf_draws_make_one_path_about_one_in_the_harmonic_number_of_requests():
    harmonic = sum(1 / rank for rank in range(1, len(PATHS) + 1))  # about 7.49 for 1,000 paths
    drawn = Counter(zipf_draws(PATHS, draws=100_000))
    (_top, top_count), (_second, second_count) = drawn.most_common(2)
    assert abs(top_count / 100_000 - 1 / harmonic) < 0.01
    assert abs(top_count / second_count - 2) < 0.2  # the second is asked for half as often


def test_zipf_draws_keep_a_long_tail_of_the_given_paths():
    drawn = Counter(zipf_draws(PATHS, draws=100_000))
    assert set(drawn) <= set(PATHS)
    assert len(drawn) > 990  # the rarest is still expected about 13 times


def test_write_paths_writes_one_line_each(tmp_path):
    file = tmp_path / "traffic" / "paths.txt"
    assert write_paths(file, ["/a/", "/b/\tsessionid=x"]) == 2
    assert file.read_text() == "/a/\n/b/\tsessionid=x\n"


def test_read_queries_reads_a_query_a_line_with_its_label_if_any():
    text = "social media\tcommon\nsinkhole\tRare\n\nflood warnings\n"
    assert read_queries(text) == [("social media", "common"), ("sinkhole", "rare"), ("flood warnings", None)]


def test_read_queries_reads_past_further_fields():
    assert read_queries("flood warnings\tcommon\t2\n") == [("flood warnings", "common")]


def test_read_queries_ignores_an_unknown_label():
    assert read_queries("press office\tsometimes\n") == [("press office", None)]


def test_queries_are_grouped_by_label():
    grouped = queries_by_label([("a", "common"), ("b", "rare"), ("c", None), ("d", "common")])
    assert grouped == {"common": ["a", "d"], "rare": ["b"], None: ["c"]}


def test_a_query_file_written_reads_back_the_same():
    queries = [("social media", "common"), ("sinkhole", "rare"), ("flood warnings", None)]
    assert read_queries(format_queries(queries)) == queries


def test_surface_forms_pick_the_most_used_word_for_each_lexeme():
    words = [("policy", 40, "polici"), ("policies", 12, "polici"), ("the", 900, ""), ("pre-election", 3, "pre elect")]
    assert surface_forms(words) == {"polici": "policy"}


def test_common_words_are_in_5_to_20_percent_of_posts_and_rare_in_very_few():
    word_posts = {"team": 900, "council": 150, "budget": 60, "sinkhole": 2, "tribunal": 4, "flood": 30}
    common, rare = common_and_rare(word_posts, posts=1000)
    assert common == ["budget", "council"]
    assert rare == []  # 0.05% of 1,000 posts is fewer than one post: only words in one post
    assert common_and_rare(word_posts, posts=8000)[1] == ["sinkhole", "tribunal"]


def test_fallback_queries_use_common_words_for_common_and_a_rare_word_for_rare():
    common, rare = ["budget", "council", "flood", "winter"], ["sinkhole", "tribunal"]
    queries = fallback_queries(common, rare)
    assert queries == fallback_queries(common, rare)
    common_queries = [query for query, label in queries if label == "common"]
    assert {len(query.split()) for query in common_queries} == {1, 2, 3}
    assert all(set(query.split()) <= set(common) for query in common_queries)
    rare_queries = [query for query, label in queries if label == "rare"]
    assert {"sinkhole", "tribunal"} <= set(rare_queries)
    assert all(query.split()[0] in rare for query in rare_queries)
