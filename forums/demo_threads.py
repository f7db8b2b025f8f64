"""Words for the demo's weeks of activity (forums.demo_activity): threads as comms people
ask them, and reply fragments that the demo combines into answers, kept as data in
demo_threads.json beside this file."""

import json
from pathlib import Path

_WORDS = json.loads((Path(__file__).with_name("demo_threads.json")).read_text(encoding="utf-8"))

# Community slug -> [author, kind, title, opening post, tags, replies, answered, days
# ago]; `replies` is how many replies the demo writes (0 leaves a question waiting).
THREADS: dict[str, list[list]] = _WORDS["THREADS"]
# The archived community, read-only now, kept for what it learnt.
ARCHIVED_COMMUNITY: dict[str, object] = _WORDS["ARCHIVED_COMMUNITY"]
ARCHIVED_THREADS: list[list] = _WORDS["ARCHIVED_THREADS"]
# The pieces of every reply (POINTS per community).
OPENINGS: list[str] = _WORDS["OPENINGS"]
CLOSINGS: list[str] = _WORDS["CLOSINGS"]
FOLLOW_UPS: list[str] = _WORDS["FOLLOW_UPS"]
POINTS: dict[str, list[str]] = _WORDS["POINTS"]
