"""Words for the demo's weeks of activity (forums.demo_activity): threads as comms people
ask them, and reply fragments that the demo combines into answers. The words are data,
in demo_threads.json beside this file:

- THREADS: community slug -> [author, kind, title, opening post, tags, replies, answered,
  days ago]; `replies` is how many replies the demo writes (0 leaves a question waiting
  for an answer).
- ARCHIVED_COMMUNITY and ARCHIVED_THREADS: the archived community, read-only now, kept
  for what it learnt.
- OPENINGS, CLOSINGS, FOLLOW_UPS and POINTS (per community): the pieces of every reply.
"""

import json
from pathlib import Path

_WORDS = json.loads((Path(__file__).with_name("demo_threads.json")).read_text(encoding="utf-8"))

THREADS: dict[str, list[list]] = _WORDS["THREADS"]
ARCHIVED_COMMUNITY: dict[str, object] = _WORDS["ARCHIVED_COMMUNITY"]
ARCHIVED_THREADS: list[list] = _WORDS["ARCHIVED_THREADS"]
OPENINGS: list[str] = _WORDS["OPENINGS"]
CLOSINGS: list[str] = _WORDS["CLOSINGS"]
FOLLOW_UPS: list[str] = _WORDS["FOLLOW_UPS"]
POINTS: dict[str, list[str]] = _WORDS["POINTS"]
