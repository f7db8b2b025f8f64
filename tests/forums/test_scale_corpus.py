"""seed_scale --corpus and --write-corpus: a forum's text in and out of a corpus file."""

import datetime
import gzip
import json

import pytest
from django.core.management import call_command

from communities.models import Community
from forums.management.commands.seed_scale import SLUG_PREFIX, scale_people
from forums.models import Post, Thread
from members.models import User

pytestmark = pytest.mark.django_db

SIZES = {"members": 5, "communities": 3, "verbosity": 0}
UTC = datetime.UTC


def write_lines(path, threads) -> str:
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(thread) + "\n" for thread in threads)
    return str(path)


def read_lines(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def thread(title, category, *posts) -> dict:
    return {
        "title": title,
        "category": category,
        "posts": [{"author": author, "created": created, "body": body} for author, created, body in posts],
    }


CORPUS = [
    thread(
        "Alt text on charts",
        1,
        (2, "2024-03-01T09:00:00+00:00", "How do you describe a chart?"),
        (0, "2024-03-01T10:30:00+00:00", "Say what it shows, not what it looks like."),
        (3, "2024-03-02T08:00:00+00:00", "We link to the data as well."),
    ),
    thread("Winter messages", 0, (4, "2024-03-05T12:00:00+00:00", "What goes out first?")),
]


def remove_scale_data() -> None:
    Post.objects.all().delete()
    Thread.objects.all().delete()
    Community.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    User.objects.filter(email__endswith="@scale.example.gov.uk").delete()


@pytest.fixture
def loaded(tmp_path):
    call_command("seed_scale", corpus=write_lines(tmp_path / "corpus.jsonl.gz", CORPUS), **SIZES)


def test_loading_a_corpus_makes_its_threads_and_nothing_else(loaded):
    assert list(Thread.objects.order_by("pk").values_list("title", flat=True)) == [
        "Alt text on charts",
        "Winter messages",
    ]
    assert Post.objects.count() == 4


def test_loaded_posts_keep_their_authors_dates_and_bodies(loaded):
    people = list(scale_people())
    posts = Post.objects.filter(thread__title="Alt text on charts").order_by("pk")
    assert [(p.author, p.created_at, p.body) for p in posts] == [
        (people[2], datetime.datetime(2024, 3, 1, 9, tzinfo=UTC), "How do you describe a chart?"),
        (people[0], datetime.datetime(2024, 3, 1, 10, 30, tzinfo=UTC), "Say what it shows, not what it looks like."),
        (people[3], datetime.datetime(2024, 3, 2, 8, tzinfo=UTC), "We link to the data as well."),
    ]
    assert posts[0].body_html == "<p>How do you describe a chart?</p>"


def test_loaded_threads_are_in_their_categorys_community(loaded):
    communities = list(Community.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk"))
    assert Thread.objects.get(title="Alt text on charts").community == communities[1]
    assert Thread.objects.get(title="Winter messages").community == communities[0]


def test_loaded_threads_start_with_their_first_post(loaded):
    first = Thread.objects.get(title="Alt text on charts")
    assert first.author == scale_people()[2]
    assert first.created_at == datetime.datetime(2024, 3, 1, 9, tzinfo=UTC)


def test_loaded_replies_answer_the_opening_post(tmp_path):
    posts = [(n % 5, f"2024-01-01T{n:02}:00:00Z", f"Post {n}.") for n in range(10)]
    call_command("seed_scale", corpus=write_lines(tmp_path / "c.jsonl.gz", [thread("Flat", 0, *posts)]), **SIZES)
    opening, *replies = Post.objects.order_by("pk")
    assert opening.parent is None
    assert [(reply.parent, reply.depth) for reply in replies] == [(opening, 1)] * 9


def test_authors_and_categories_past_the_numbers_made_wrap_around(tmp_path):
    corpus = [thread("Wrapped", 4, (7, "2024-01-01T00:00:00Z", "Hello."))]
    call_command("seed_scale", corpus=write_lines(tmp_path / "c.jsonl.gz", corpus), **SIZES)
    wrapped = Thread.objects.get(title="Wrapped")
    assert wrapped.community == Community.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk")[1]
    assert wrapped.author == scale_people()[2]


def test_markdown_in_a_corpus_is_rendered_and_sanitised(tmp_path):
    corpus = [thread("Formatting", 0, (0, "2024-01-01T00:00:00", "Some **bold** words <script>alert(1)</script>"))]
    call_command("seed_scale", corpus=write_lines(tmp_path / "c.jsonl.gz", corpus), **SIZES)
    html = Post.objects.get().body_html
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


def test_loaded_posts_are_found_by_search(loaded):
    assert Post.objects.filter(search_vector="chart").count() == 3  # the title's word is in each post's vector


def test_a_written_corpus_loads_back_as_the_same_text(tmp_path):
    call_command(
        "seed_scale", threads=6, posts=40, big_thread_replies=10, write_corpus=str(tmp_path / "a.gz"), **SIZES
    )
    remove_scale_data()
    call_command("seed_scale", corpus=str(tmp_path / "a.gz"), write_corpus=str(tmp_path / "b.gz"), **SIZES)
    written, loaded_back = read_lines(tmp_path / "a.gz"), read_lines(tmp_path / "b.gz")
    assert len(written) == 6 and sum(len(t["posts"]) for t in written) == 40
    assert loaded_back == written


def test_writing_a_corpus_of_data_already_there_does_not_seed_again(loaded, tmp_path):
    call_command("seed_scale", if_missing=True, write_corpus=str(tmp_path / "out.jsonl.gz"), **SIZES)
    assert Thread.objects.count() == 2
    assert read_lines(tmp_path / "out.jsonl.gz") == CORPUS


def test_a_corpus_may_be_plain_json_lines(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps(thread("Plain file", 0, (0, "2024-01-01T00:00:00Z", "Hello."))) + "\n")
    call_command("seed_scale", corpus=str(path), **SIZES)
    assert Thread.objects.get().title == "Plain file"
