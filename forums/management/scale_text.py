"""Words for the scale data set: a public-sector comms vocabulary mixed with real
English, so search and snippets behave as they would on real discussions.

The English comes from wordfreq's word frequencies: most words are common, a long
tail of tens of thousands is rare, as in text people write. Everything is drawn from
the caller's seeded generator, so the same seed makes the same text.
"""

import itertools
import random
import re
from functools import cache
from importlib.resources import files

import wordfreq

from core.markdown import render_markdown
from members.models import Organisation

BIG_THREAD_TITLE = "Pre-election period: the big list of what everyone is doing"
FIRST_NAMES = [
    "Aisha",
    "Amir",
    "Anna",
    "Ben",
    "Bethan",
    "Callum",
    "Chloe",
    "Dafydd",
    "Deepa",
    "Eilidh",
    "Emma",
    "Fatima",
    "Finn",
    "Grace",
    "Hamza",
    "Hannah",
    "Isla",
    "Jack",
    "James",
    "Kiran",
    "Laura",
    "Liam",
    "Maya",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Omar",
    "Priya",
    "Rhys",
    "Ruth",
    "Sam",
    "Sophie",
    "Tom",
    "Zara",
]
LAST_NAMES = [
    "Adeyemi",
    "Ahmed",
    "Baker",
    "Campbell",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Grant",
    "Hughes",
    "Jones",
    "Khan",
    "Lewis",
    "Macdonald",
    "Morgan",
    "Murphy",
    "Nowak",
    "O'Brien",
    "Patel",
    "Price",
    "Rahman",
    "Roberts",
    "Scott",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Walker",
    "Wilson",
    "Wright",
]
PLACES = [
    "Kent",
    "Leeds",
    "Dacorum",
    "Lothian",
    "Devon",
    "Cardiff",
    "Norfolk",
    "Bristol",
    "Tayside",
    "Belfast",
    "Cumbria",
    "Essex",
    "Suffolk",
    "Lancashire",
    "Sheffield",
    "Dorset",
    "Fife",
    "Powys",
    "Wiltshire",
    "Derby",
]
ORG_KINDS = [
    ("{} County Council", Organisation.Kind.LOCAL_AUTHORITY),
    ("{} NHS Trust", Organisation.Kind.NHS),
    ("{} Police", Organisation.Kind.POLICE),
    ("{} Fire and Rescue Service", Organisation.Kind.FIRE_AND_RESCUE),
]
TOPICS = [
    "social media",
    "crisis communications",
    "internal communications",
    "press releases",
    "media relations",
    "campaign evaluation",
    "plain English",
    "alt text",
    "accessible documents",
    "pre-election period",
    "Facebook page",
    "LinkedIn company page",
    "scheduling tools",
    "social media monitoring",
    "staff survey",
    "intranet",
    "FOI requests",
    "flood warnings",
    "school closures",
    "winter vaccinations",
    "budget consultation",
    "council tax",
    "credible voices",
    "digital champions",
    "video captions",
    "newsletters",
    "blogging",
    "reputation management",
    "stakeholder engagement",
    "public consultation",
]
# Heavier weights first: some topics come up far more often than others.
TOPIC_WEIGHTS = [max(1, 30 - i) for i in range(len(TOPICS))]
RARE_WORDS = ["sinkhole", "hustings", "ombudsman", "landslip", "heatwave", "asbestos", "drought", "tribunal"]
# Per sentence: each rare word ends up in roughly 60 of 400,000 posts (the "rare term" of the bench).
RARE_WORD_CHANCE = 0.00015
TITLE_PATTERNS = [
    "How do you handle {t} during {c}?",
    "{T} and {w}: any advice?",
    "Question about {w} and {t}",
    "Advice on {t} for a small team",
    "Has anyone changed their approach to {t}?",
    "Examples of good {t} from other councils",
    "What tools do you use for {t}?",
    "{T}: what worked for you in {c}?",
    "Guidance for staff on {t}",
    "Measuring the impact of {t}",
]
CONTEXTS = ["the pre-election period", "a major incident", "winter", "a restructure", "budget season", "the summer"]
OPENERS = ["We", "Our team", "Our press office", "The digital team", "Colleagues in our comms team", "My manager"]
VERBS = [
    "tried",
    "reviewed",
    "rewrote",
    "scheduled",
    "tested",
    "published",
    "paused",
    "evaluated",
    "shared",
    "simplified",
    "planned",
    "trialled",
]
OBJECTS = [
    "our guidance on {t}",
    "a short plan for {t}",
    "the approval process for {t}",
    "the {t} templates",
    "a checklist for {t}",
    "the way we report on {t}",
]
QUALIFIERS = [
    "after feedback from residents",
    "with help from the legal team",
    "before the board meeting",
    "over a couple of weeks",
    "with the service leads",
    "because the old process was too slow",
    "following the last incident",
    "and it made a real difference",
]
REFLECTIONS = [
    "It took longer than expected but the results were worth it.",
    "Happy to share the template if it helps anyone.",
    "The main lesson was to agree sign-off before anything goes out.",
    "Residents responded well when we kept the messages short and clear.",
    "I would start with a small pilot and build from there.",
    "Our engagement figures went up once we posted at regular times.",
    "We keep a log of every decision so we can explain it later.",
    "Has anyone else found the same thing?",
    "Thanks, this thread has been really useful.",
    "Check the latest guidance from the Government Communication Service first.",
]


# How many of English's commonest words the text draws on, and how much of it they make.
# With 50,000, the rarest are in a handful of posts of 400,000 and more at larger sizes.
ENGLISH_WORDS = 50000
ENGLISH_SHARE = 0.65
# A word a title is about (rather than "the" or "and").
TITLE_WORD_MIN_LENGTH = 5


# better_profanity's list has whole words only: words holding these are left out too
# (with a few innocent ones, such as "cocktail" and "grapes").
PROFANE_PARTS = ("fuck", "shit", "cunt", "nigg", "fagg", "wank", "bitch", "whore", "slut", "porn", "retard", "pussy",
                 "cock", "dick", "rape")  # fmt: skip


@cache
def english_words() -> tuple[list[str], list[float]]:
    """wordfreq's commonest English words (letters only, no profanity) with their cumulative
    frequencies, ready for random.choices: "the" is drawn about 150,000 times as often as
    the 50,000th word."""
    profanity = set(files("better_profanity").joinpath("profanity_wordlist.txt").read_text().split())
    words = [
        word
        for word in wordfreq.top_n_list("en", ENGLISH_WORDS)
        if word.isascii() and word.isalpha() and word not in profanity and not any(p in word for p in PROFANE_PARTS)
    ]
    weights = itertools.accumulate(wordfreq.word_frequency(word, "en") for word in words)
    return ["I" if word == "i" else word for word in words], list(weights)


def _english_sentence(rng: random.Random, topic: str) -> str:
    words, cum_weights = english_words()
    chosen = rng.choices(words, cum_weights=cum_weights, k=rng.randint(5, 16))
    if rng.random() < 0.25:
        chosen.insert(rng.randrange(len(chosen)), topic)
    sentence = " ".join(chosen)
    return f"{sentence[0].upper()}{sentence[1:]}{'?' if rng.random() < 0.1 else '.'}"


def _title_word(rng: random.Random) -> str:
    words, cum_weights = english_words()
    word = ""
    while len(word) < TITLE_WORD_MIN_LENGTH:
        word = rng.choices(words, cum_weights=cum_weights)[0]
    return word


def thread_title(rng: random.Random, topic: str) -> str:
    pattern = rng.choice(TITLE_PATTERNS)
    word = _title_word(rng) if "{w}" in pattern else ""
    return pattern.format(t=topic, T=topic[0].upper() + topic[1:], c=rng.choice(CONTEXTS), w=word)


def _sentence(rng: random.Random, topic: str) -> str:
    if rng.random() < ENGLISH_SHARE:
        return _english_sentence(rng, topic)
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(REFLECTIONS)
    if roll < 0.35:
        return f"For {topic} we found that {rng.choice(TOPICS)} mattered just as much."
    obj = rng.choice(OBJECTS).format(t=topic if rng.random() < 0.75 else rng.choice(TOPICS))
    return f"{rng.choice(OPENERS)} {rng.choice(VERBS)} {obj} {rng.choice(QUALIFIERS)}."


def post_body(rng: random.Random, topic: str) -> str:
    """50 to 200 words, in one to three paragraphs."""
    target = rng.randint(50, 200)
    sentences, words = [], 0
    while words < target:
        sentence = _sentence(rng, topic)
        if rng.random() < RARE_WORD_CHANCE:
            sentence = f"It reminded me of the {rng.choice(RARE_WORDS)} last year. " + sentence
        sentences.append(sentence)
        words += sentence.count(" ") + 1
    cuts = sorted(rng.sample(range(1, len(sentences)), min(2, len(sentences) - 1))) if len(sentences) > 2 else []
    paragraphs, start = [], 0
    for cut in [*cuts, len(sentences)]:
        paragraphs.append(" ".join(sentences[start:cut]))
        start = cut
    return "\n\n".join(p for p in paragraphs if p)


# Words and sentence punctuation only: Markdown and the sanitiser leave such a paragraph as it is.
_WORD = r"[A-Za-z]+(?:-[A-Za-z]+)*"
PLAIN_PARAGRAPH = re.compile(rf"{_WORD}(?:[,.?!]? {_WORD})*[.?!]?")


def body_html(body: str) -> str:
    """What render_markdown makes of a body. Plain paragraphs (all generated text, and the
    peers' corpus) are wrapped without rendering, which takes about 1 ms a post."""
    paragraphs = body.split("\n\n")
    if all(PLAIN_PARAGRAPH.fullmatch(paragraph) for paragraph in paragraphs):
        return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return render_markdown(body)
