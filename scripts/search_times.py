"""How long does each search of a query list take, one at a time, on a data set?

    EMBEDDED_DB_DIR=.pgdata-2m .venv/bin/python scripts/search_times.py QUERIES

QUERIES is a query file as `make bench` reads it (one query a line, a tab, "common" or
"rare"). Each query is searched as a visitor through search.engine, twice (the second
is timed, so what the first read is in memory): the whole search (both SQL statements,
the headlines and Python, no HTTP and no template) and the SQL alone (PostgreSQL's
execution time from EXPLAIN ANALYZE of each statement the search ran). Prints p50,
p99 and the slowest queries for each label. One search at a time, so the times say
what a search costs, not how long it queued; for docs/scaling.md. Not a timed test.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commsnet.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from search.engine import search_posts  # noqa: E402
from search.rows import add_snippets  # noqa: E402

PAGE = 20
SLOWEST_SHOWN = 5


def timed_search(query: str) -> tuple[float, list[str]]:
    """Milliseconds for one search and its first page, and the SQL it ran."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        results = search_posts(AnonymousUser(), query=query)
        add_snippets(results[:PAGE])
        results.is_cut_short  # noqa: B018 - asks for the count as the page does
    return (time.perf_counter() - started) * 1000, [q["sql"] for q in captured.captured_queries]


def sql_ms(statements: list[str]) -> float:
    """PostgreSQL's planning and execution time of the statements that read (a union
    starts with "(", the candidates with "WITH")."""
    total = 0.0
    with connection.cursor() as cursor:
        for sql in statements:
            if sql.lstrip().lstrip("(").upper().startswith(("SELECT", "WITH")):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0][0]
                total += plan["Planning Time"] + plan["Execution Time"]
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


def main() -> None:
    rows = []
    for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines():
        query, _, rest = line.partition("\t")
        if not query.strip():
            continue
        timed_search(query)  # what it reads is now in memory
        whole, statements = timed_search(query)
        rows.append((rest.split("\t")[0] or "unlabelled", query, whole, sql_ms(statements)))
    for label in sorted({row[0] for row in rows}):
        mine = [row for row in rows if row[0] == label]
        whole, sql = [row[2] for row in mine], [row[3] for row in mine]
        print(
            f"{label}: {len(mine)} queries; whole search p50 {percentile(whole, 0.5):.1f} ms, "
            f"p99 {percentile(whole, 0.99):.1f} ms; SQL p50 {percentile(sql, 0.5):.1f} ms, "
            f"p99 {percentile(sql, 0.99):.1f} ms"
        )
        for _label, query, spent, in_sql in sorted(mine, key=lambda row: -row[2])[:SLOWEST_SHOWN]:
            print(f"  {spent:6.1f} ms ({in_sql:.1f} ms SQL)  {query}")


if __name__ == "__main__":
    main()
