"""The scale data set's generated text: real English word frequencies with a long tail."""

import random
import re
import statistics
from collections import Counter

from core.markdown import render_markdown
from forums.management.scale_text import body_html, post_body, thread_title


def bodies(seed: int, count: int = 300) -> list[str]:
    rng = random.Random(seed)
    return [post_body(rng, "press releases") for _ in range(count)]


def word_counts(texts: list[str]) -> Counter:
    return Counter(word for text in texts for word in re.findall(r"[a-z]+", text.lower()))


def test_generated_text_draws_on_thousands_of_words():
    assert len(word_counts(bodies(1))) > 3000


def test_the_commonest_words_are_far_commoner_than_the_typical_word():
    counts = word_counts(bodies(1))
    assert counts.most_common(1)[0][1] > 100 * statistics.median(counts.values())


def test_most_distinct_words_are_rare():
    counts = word_counts(bodies(1))
    once = sum(1 for n in counts.values() if n == 1)
    assert once > len(counts) / 3


def test_generated_text_keeps_the_topic_vocabulary():
    assert word_counts(bodies(1))["releases"] > 100


def test_the_same_seed_makes_the_same_text():
    assert bodies(7, 20) == bodies(7, 20)
    rng, again = random.Random(3), random.Random(3)
    assert [thread_title(rng, "alt text") for _ in range(20)] == [thread_title(again, "alt text") for _ in range(20)]


def test_stored_html_of_generated_text_is_what_markdown_makes_of_it():
    for body in bodies(2, 100):
        assert body_html(body) == render_markdown(body)


def test_stored_html_of_a_peer_style_body_is_what_markdown_makes_of_it():
    body = "Time people year way. Day thing man world life hand part!\n\nChild eye woman place work week?"
    assert body_html(body) == render_markdown(body)


def test_bodies_with_markdown_are_rendered():
    assert body_html("A [link](https://example.org) and *emphasis*.") == render_markdown(
        "A [link](https://example.org) and *emphasis*."
    )
    assert "<em>" in body_html("Some *emphasis* here.")
