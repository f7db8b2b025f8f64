"""Realistic search queries for a seeded data set, for benchmarks of fresh searches: common
and rare words counted by the stems search uses. One query a line: the words, "common" or
"rare", and how many words (docs/scaling.md, "The data set")."""

from __future__ import annotations

import random

import wordfreq
from django.core.management.base import BaseCommand
from django.db import connection

from search.query import CONFIG

COMMON_SHARE = (0.05, 0.20)
RARE_BELOW_SHARE = 0.001
# English words looked at for a word to write each stem as.
ENGLISH_WORDS = 100_000
# The posts a member of every community can find.
FINDABLE_POSTS = (
    "SELECT post.search_vector FROM forums_post AS post JOIN forums_thread AS thread ON thread.id = post.thread_id"
    " WHERE post.status = 'published' AND NOT thread.is_hidden AND post.search_vector IS NOT NULL"
)


def posts_per_stem() -> tuple[int, dict[str, int]]:
    """How many posts members can find, and how many of them hold each stem."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({FINDABLE_POSTS}) AS findable")  # noqa: S608 - our own constant
        posts = cursor.fetchone()[0]
        cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [FINDABLE_POSTS])
        return posts, dict(cursor.fetchall())


def words_for_stems(stems) -> dict[str, str]:
    """The commonest English word that the search configuration stems to each of `stems`
    (stems no English word stems to are left out)."""
    candidates = [word for word in wordfreq.top_n_list("en", ENGLISH_WORDS) if word.isascii() and word.isalpha()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, tsvector_to_array(to_tsvector(%s::regconfig, word))"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS candidate(word, place) ORDER BY place",
            [CONFIG, candidates],
        )
        words = {}
        for word, found in cursor.fetchall():
            if len(found) == 1 and found[0] in stems:
                words.setdefault(found[0], word)
    return words


def _words_beside(rng: random.Random, word: str, count: int, words: dict[str, str]) -> list[str]:
    """`count` other words from one findable post that holds `word`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tsvector_to_array(search_vector) FROM ({FINDABLE_POSTS}) AS findable"  # noqa: S608 - our own constant
            " WHERE search_vector @@ plainto_tsquery(%s::regconfig, %s) ORDER BY 1",  # any fixed order
            [CONFIG, word],
        )
        stems = rng.choice(cursor.fetchall())[0]
    others = sorted({words[stem] for stem in stems if stem in words} - {word})
    return rng.sample(others, min(count, len(others)))


def search_queries(rng: random.Random, per_kind: int) -> list[tuple[str, str, int]]:
    """(words, "common" or "rare", number of words): `per_kind` of each kind and length
    that the data set has words for."""
    posts, counts = posts_per_stem()
    words = words_for_stems(counts)
    low, high = (share * posts for share in COMMON_SHARE)
    common = sorted(words[stem] for stem, n in counts.items() if stem in words and low <= n <= high)
    rare = sorted(words[stem] for stem, n in counts.items() if stem in words and n < max(2, RARE_BELOW_SHARE * posts))
    queries = []
    for size in (1, 2, 3):
        if len(common) >= size:
            queries += [(rng.sample(common, size), "common") for _ in range(per_kind)]
        for _ in range(per_kind if rare else 0):
            word = rng.choice(rare)
            queries.append(([word, *_words_beside(rng, word, size - 1, words)], "rare"))
    return [(" ".join(chosen), kind, len(chosen)) for chosen, kind in queries]


class Command(BaseCommand):
    help = "Write realistic search queries (one, two and three words; common and rare) for the data set to a file."

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")
        parser.add_argument("--per-kind", type=int, default=100, help="How many queries of each kind and length.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **opts):
        queries = search_queries(random.Random(opts["seed"]), opts["per_kind"])
        with open(opts["path"], "w", encoding="utf-8") as out:
            out.writelines(f"{words}\t{kind}\t{size}\n" for words, kind, size in queries)
        kinds = {kind: sum(1 for _, k, _ in queries if k == kind) for kind in ("common", "rare")}
        self.stdout.write(f"Wrote {kinds['common']} common and {kinds['rare']} rare queries to {opts['path']}.")
