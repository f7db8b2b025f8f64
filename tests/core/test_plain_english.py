"""The plain-English check on known text: long sentences, reading ease, jargon, alt text."""

from core.plain_english import (
    LONG_SENTENCE_WORDS,
    check_plain_english,
    parse_jargon,
    reading_ease,
    syllables,
)

EASY = "We put the poster up on Monday. People liked it. The team will do it again next week. " * 3
HARD = (
    "Notwithstanding organisational considerations, comprehensive stakeholder engagement methodologies "
    "necessitate systematic implementation. Institutional accountability mechanisms require continuous "
    "evaluation. Multidisciplinary collaborative partnerships facilitate operationalisation. "
    "Communication strategies necessitate comprehensive prioritisation. Organisational transformation "
    "necessitates interdepartmental coordination."
)


def test_syllables_are_counted_by_vowel_groups_less_a_silent_e():
    assert [syllables(word) for word in ["cat", "poster", "make", "table", "communication", "2026"]] == [
        1, 2, 1, 2, 5, 1,
    ]  # fmt: skip


def test_short_plain_text_scores_as_easy():
    assert reading_ease(EASY) > 80


def test_long_words_score_as_hard_to_read():
    report = check_plain_english(HARD)
    assert report.score < 0
    assert report.is_hard_to_read
    assert report.has_advice


def test_too_few_words_get_no_score():
    assert reading_ease("Short and sweet.") is None
    assert not check_plain_english("Short and sweet.").has_advice


def test_a_sentence_over_the_limit_is_listed_as_long():
    long = " ".join(["word"] * (LONG_SENTENCE_WORDS + 1)) + "."
    ok = " ".join(["word"] * LONG_SENTENCE_WORDS) + "."
    report = check_plain_english(f"{ok} {long}")
    assert report.long_sentences == [long]


def test_jargon_is_found_as_whole_words_ignoring_case():
    report = check_plain_english("We will Leverage the synergy. Purdahs are different.", ["leverage", "purdah"])
    assert report.jargon == ["leverage"]


def test_jargon_phrases_are_found():
    assert check_plain_english("Let us touch base soon.", ["touch base"]).jargon == ["touch base"]


def test_images_without_alt_text_are_counted_in_markdown_and_html():
    text = '![](a.png) ![A map of Leeds](b.png) <img src="c.png"> <img src="d.png" alt="Chart">'
    assert check_plain_english(text).images_without_alt == 2


def test_code_is_not_checked_as_prose():
    code = "```\n" + " ".join(["leverage"] * 40) + "\n```"
    report = check_plain_english(code, ["leverage"])
    assert report.jargon == []
    assert report.long_sentences == []


def test_jargon_list_is_read_from_lines_or_commas_without_repeats():
    assert parse_jargon("leverage, Synergy\n  touch   base \nsynergy\n\n") == ["leverage", "Synergy", "touch base"]
