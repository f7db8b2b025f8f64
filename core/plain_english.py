"""A gentle plain-English check of what a member is about to post: very long sentences,
a readability score (Flesch reading ease), the community's jargon words and images
without alt text. It only advises; the author can always post anyway."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# GOV.UK's guidance: aim for 15 to 20 words; over 25 is hard to follow.
LONG_SENTENCE_WORDS = 25
# Below 50 is "fairly difficult" or worse on the Flesch scale.
HARD_TO_READ_BELOW = 50
# Too few words make any score meaningless.
MIN_WORDS_FOR_SCORE = 30

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)|<img\b[^>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|https?://\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*+>#]|\n\s*\d+[.)]\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass
class PlainEnglishReport:
    words: int = 0
    score: float | None = None
    long_sentences: list[str] = field(default_factory=list)
    jargon: list[str] = field(default_factory=list)
    images_without_alt: int = 0

    @property
    def is_hard_to_read(self) -> bool:
        return self.score is not None and self.score < HARD_TO_READ_BELOW

    @property
    def has_advice(self) -> bool:
        return bool(self.long_sentences or self.jargon or self.images_without_alt or self.is_hard_to_read)


def syllables(word: str) -> int:
    """Vowel groups, less a silent final "e"; at least one. A rule of thumb: close
    enough to tell "easy" from "hard", with no dependency to keep up to date."""
    word = word.lower().strip("'’-")
    if not word or word[0].isdigit():
        return 1
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if _WORD.search(part)]


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of `text` (higher is easier), or None when it is too short to say."""
    parts = sentences(text)
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS_FOR_SCORE or not parts:
        return None
    per_sentence = len(words) / len(parts)
    per_word = sum(syllables(word) for word in words) / len(words)
    return round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)


def _images_without_alt(text: str) -> int:
    missing = 0
    for match in _IMAGE.finditer(text):
        if match.group(0).startswith("!["):
            alt = match.group(1)
        else:
            found = _HTML_ALT.search(match.group(0))
            alt = found.group(2) if found else ""
        missing += not alt.strip()
    return missing


def parse_jargon(words: str) -> list[str]:
    """A community's jargon list as facilitators type it: one word or phrase a line, or comma-separated."""
    seen = {}
    for item in re.split(r"[,\n]", words):
        item = " ".join(item.split())
        if item and item.lower() not in seen:
            seen[item.lower()] = item
    return list(seen.values())


def check_plain_english(markdown: str, jargon: list[str] = ()) -> PlainEnglishReport:
    """Advice on `markdown` (a post's source). Code is left out: it is not prose."""
    images = _images_without_alt(markdown)
    prose = _LINK.sub(lambda match: match.group(1) or "", _IMAGE.sub("", _CODE.sub(" ", markdown)))
    long = [sentence for sentence in sentences(prose) if len(_WORD.findall(sentence)) > LONG_SENTENCE_WORDS]
    lowered = prose.lower()
    found = [term for term in jargon if re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", lowered)]
    return PlainEnglishReport(
        words=len(_WORD.findall(prose)),
        score=reading_ease(prose),
        long_sentences=long,
        jargon=found,
        images_without_alt=images,
    )
