"""Corpus files: a forum's text, so CommsNet and the peers it is compared with
(../shared/peers/) can hold exactly the same threads. The format (gzipped JSON lines,
one thread a line): docs/scaling.md, "The data set"."""

from __future__ import annotations

import datetime
import gzip
import itertools
import json
from collections.abc import Iterator, Sequence
from typing import IO

from forums.models import Post, Thread


def _open(path: str, mode: str) -> IO[str]:
    return gzip.open(path, mode, encoding="utf-8") if path.endswith(".gz") else open(path, mode, encoding="utf-8")


def read_corpus(path: str) -> Iterator[dict]:
    """Threads from a corpus file, as written."""
    with _open(path, "rt") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def parse_time(text: str) -> datetime.datetime:
    """An ISO 8601 time; one written without an offset is in UTC."""
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def write_corpus(path: str, *, communities: Sequence[int], people: Sequence[int]) -> tuple[int, int]:
    """Write the threads of these communities (ids, in the order their category numbers
    follow) to a corpus file, posts by time; authors are numbered by their place in
    `people`. Returns the numbers of threads and posts written."""
    category = {pk: n for n, pk in enumerate(communities)}
    author = {pk: n for n, pk in enumerate(people)}
    threads = Thread.objects.filter(community_id__in=communities).order_by("pk")
    posts = (
        Post.objects.filter(thread__community_id__in=communities)
        .order_by("thread_id", "created_at", "pk")
        .values_list("thread_id", "author_id", "created_at", "body")
        .iterator(chunk_size=5000)
    )
    by_thread = itertools.groupby(posts, key=lambda row: row[0])
    current = next(by_thread, None)
    written = [0, 0]
    with _open(path, "wt") as out:
        for pk, title, community in threads.values_list("pk", "title", "community_id").iterator(chunk_size=5000):
            rows = []
            if current is not None and current[0] == pk:
                rows = list(current[1])
                current = next(by_thread, None)
            line = {
                "title": title,
                "category": category[community],
                # Posts by anyone else (written through the site since) are credited to the first member.
                "posts": [
                    {"author": author.get(author_pk, 0), "created": created.isoformat(), "body": body}
                    for _thread, author_pk, created, body in rows
                ],
            }
            out.write(json.dumps(line) + "\n")
            written[0] += 1
            written[1] += len(rows)
    return written[0], written[1]
