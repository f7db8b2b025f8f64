"""What `make bench`'s random-traffic rows ask for: files of paths that wrk draws from at
random (scripts/bench-random-paths.lua), popularity skewed as on real forums, and the
search queries. Plain functions, no Django: the probe (scripts/bench_probe.py) feeds them."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

SEED = 2026
# Zipf's exponent for thread popularity: the hottest thread is asked for twice as often as
# the second, three times as often as the third, and so on down a long tail.
ZIPF_EXPONENT = 1.0
# Lines in the skewed file: enough for the tail to appear, as wrk picks lines uniformly.
ZIPF_DRAWS = 100_000
LABELS = ("common", "rare")
# The fallback query list: a common word is in 5–20% of posts, a rare one in at most 0.05%.
COMMON_SHARE = (0.05, 0.20)
RARE_SHARE = 0.0005
QUERIES_PER_SHAPE = 20


def zipf_draws(paths: Sequence[str], draws: int = ZIPF_DRAWS, exponent: float = ZIPF_EXPONENT, seed: int = SEED):
    """`draws` paths picked with Zipf popularity: the paths are put in a random order (the
    same for the same seed) and the one ranked k is picked with weight 1 / k**exponent."""
    rng = random.Random(seed)
    ranked = list(paths)
    rng.shuffle(ranked)
    weights = [1 / rank**exponent for rank in range(1, len(ranked) + 1)]
    return rng.choices(ranked, weights=weights, k=draws)


def write_paths(file: Path, lines: Iterable[str]) -> int:
    """One request a line, for scripts/bench-random-paths.lua (a line may add a tab and the
    Cookie header to send with it). Returns how many lines were written."""
    lines = list(lines)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("".join(f"{line}\n" for line in lines))
    return len(lines)


def read_queries(text: str) -> list[tuple[str, str | None]]:
    """(query, label) from a query file: one query a line, optionally followed by a tab and
    "common" or "rare" (None when there is no label), and perhaps more tab-separated fields
    (manage.py scale_queries adds the number of words). Blank lines are skipped."""
    queries = []
    for line in text.splitlines():
        query, *fields = line.split("\t")
        if not query.strip():
            continue
        label = fields[0].strip().lower() if fields else ""
        queries.append((query.strip(), label if label in LABELS else None))
    return queries


def queries_by_label(queries: Iterable[tuple[str, str | None]]) -> dict[str | None, list[str]]:
    """The queries grouped for the bench's rows: "common" and "rare" when the file labels
    them, None for those without a label."""
    grouped: dict[str | None, list[str]] = {}
    for query, label in queries:
        grouped.setdefault(label, []).append(query)
    return grouped


def surface_forms(words: Iterable[tuple[str, int, str]]) -> dict[str, str]:
    """For each search lexeme (PostgreSQL's stem, "polici"), the word people type for it
    ("policy"): the most used of the (word, uses, lexemes) whose only lexeme it is."""
    best: dict[str, tuple[int, str]] = {}
    for word, uses, lexemes in words:
        if not lexemes or " " in lexemes:
            continue  # a stop word, or a word searched as several lexemes
        if lexemes not in best or (uses, word) > best[lexemes]:
            best[lexemes] = (uses, word)
    return {lexeme: word for lexeme, (_uses, word) in best.items()}


def common_and_rare(word_posts: dict[str, int], posts: int) -> tuple[list[str], list[str]]:
    """The words in 5–20% of `posts` (common) and in very few (rare), from how many of
    those posts each word is in; each list sorted, so the same data gives the same lists."""
    low, high = COMMON_SHARE
    common = sorted(word for word, count in word_posts.items() if low * posts <= count <= high * posts)
    rare_at_most = max(1, int(RARE_SHARE * posts))
    rare = sorted(word for word, count in word_posts.items() if 0 < count <= rare_at_most)
    return common, rare


def fallback_queries(common: Sequence[str], rare: Sequence[str], seed: int = SEED) -> list[tuple[str, str]]:
    """Queries made of the data set's own words when no query file is given: common ones of
    one, two and three common words; rare ones of a rare word, alone or with a common one."""
    rng = random.Random(seed)
    found: dict[tuple[str, str], None] = {}
    for size in (1, 2, 3):
        if len(common) >= size:
            for _ in range(QUERIES_PER_SHAPE):
                found[(" ".join(rng.sample(list(common), size)), "common")] = None
    for word in rare:
        found[(word, "rare")] = None
    if common:
        pairs = list(itertools.product(rare, common))
        for word, other in rng.sample(pairs, min(len(pairs), QUERIES_PER_SHAPE)):
            found[(f"{word} {other}", "rare")] = None
    return list(found)


def format_queries(queries: Iterable[tuple[str, str | None]]) -> str:
    """A query file, as read_queries reads it."""
    return "".join(f"{query}\t{label}\n" if label else f"{query}\n" for query, label in queries)
