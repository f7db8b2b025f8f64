"""`make bench`: how fast is CommsNet on a large data set?

Seeds the scale data set (manage.py seed_scale) into its own embedded database if
it is missing, serves the portal with gunicorn (2 sync workers, DEBUG off,
persistent database connections) on loopback, and measures it with wrk: requests
per second, p50/p99 latency and the CPU time per request of the web workers and of
PostgreSQL. It also counts the SQL queries each page runs and reports the workers'
memory. The table is printed and written to bench-results/<timestamp>.md so runs
can be compared over time.

Two kinds of row. Hot pages: one URL asked for again and again, as a popular thread
is (rows marked "never asked before" add a new parameter to each request). Random
traffic: each request's path drawn at random from a file (scripts/bench-random-paths.lua):
any public thread, threads with skewed popularity, community list pages, members'
home pages, Latest with filters, searches from a query list; and the uncached thread
page, which the issue's CPU target is about.

Each page is measured as a signed-in member and as a visitor who is not signed in.
With the embedded database, the bench gives PostgreSQL 1 GB of shared buffers first
(its default 128 MB is far below any production setting).

Environment: BENCH_DURATION (seconds, default 20), BENCH_WARMUP (5),
BENCH_THREADS (2), BENCH_CONNECTIONS (8), BENCH_PORT (8765), BENCH_DB_DIR
(.pgdata-bench in the checkout; ignored when DATABASE_URL is set), BENCH_QUERIES (a
file of search queries, one a line, optionally a tab and "common" or "rare"; by
default manage.py scale_queries's list, or a small one made from the data set's
words), BENCH_ONLY (a comma-separated list of the rows to measure, by their keys in
PAGES and RANDOM_ROWS, or "hot" or "random" for all of one kind: "thread,random_thread").
"""

# A developer tool that runs our own commands and fetches loopback URLs it built itself.
# ruff: noqa: S603

from __future__ import annotations

import datetime
import functools
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from bench_wrk import ensure_wrk, env_int, measure, measured_processes, status_of, wait_for, worker_rss_mb

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# Where the random-traffic rows' files of paths (and the query list made) are written.
TRAFFIC_DIR = ROOT / "bench-results" / "traffic"
COMMON_QUERY = "social media"
RARE_QUERY = "sinkhole"

HOT, RANDOM = "hot page", "random"
# (label, kind of target (TARGETS), key in the probe's URLs, fresh: each request a URL never
# asked for before, so no cached page can answer it; or RANDOM_PAGES: each request a page of
# the list picked at random, as readers browse it)
RANDOM_PAGES = "random pages"
PAGES = [
    ("Community directory", "list", "directory", False),
    ("Home page", "list", "home", False),
    ("Home page, member of 10 communities", "list", "home_ten", False),
    ("Community thread list", "list", "community", False),
    ("Typical thread (20 replies)", "list", "thread", False),
    ("500-reply thread, first page", "list", "big_first", False),
    ("500-reply thread, last page", "list", "big_last", False),
    (f'Search "{COMMON_QUERY}"', "search-common", "search_common", False),
    (f'Search "{COMMON_QUERY}", never asked before', "search-common", "search_common", True),
    (f'Search "{RARE_QUERY}" (rare)', "search-rare", "search_rare", False),
    (f'Search "{RARE_QUERY}" (rare), never asked before', "search-rare", "search_rare", True),
    ("Similar-thread suggestions", "search-rare", "similar", False),
    ("Similar-thread suggestions, never asked before", "search-rare", "similar", True),
    # "Written by" alone is never kept (it depends on accounts), so it always does the full work.
    ("Posts by the busiest member (search, no words)", "search-rare", "written_by", False),
    ("Latest", "list", "latest", False),
    ("Latest, random pages", "list", "latest", RANDOM_PAGES),
]
# The random-traffic rows: (label, kind of target, key, fresh). The probe writes each one's
# file of paths (bench-results/traffic/<key>-<viewer>.txt); a row without a visitor's file
# (a member's own home page) is measured for members only.
UNCACHED_THREAD = "uncached_thread"
RANDOM_ROWS = [
    ("Thread at random", "random", "random_thread", False),
    ("Thread by popularity (Zipf, s = 1)", "random", "zipf_thread", False),
    ("Community thread list at random, pages 1–5", "random", "random_community", False),
    ("Home page, a member at random", "random", "random_home", False),
    ("Latest at random: filters and pages", "random", "random_latest", False),
    ("Search never asked before, common words", "random-search-common", "random_search_common", True),
    ("Search never asked before, rare words", "random-search-rare", "random_search_rare", True),
    ("Search never asked before", "random-search-common", "random_search", True),
    ("Uncached thread page (20 replies) at random", "uncached", UNCACHED_THREAD, True),
]
# Rows whose member is another bench account than BENCH_USERNAME (a member of 40
# communities): the probe signs each in and gives wrk their own session cookie.
OTHER_MEMBERS = {"home_ten": "ten"}
# Targets on a 2-core machine: requests per second at least, p99 in ms at most, CPU ms per
# request (web workers and PostgreSQL together) at most. The random rows' throughput targets
# are ratios to the peers (issue 24), measured with ../shared/peers/compare/.
TARGETS = {
    "list": {"rps": 400, "p99": 30},
    "search-common": {"rps": 110, "p99": 100},
    "search-rare": {"rps": 110, "p99": 30},
    "random": {"p99": 50},
    "random-search-common": {"p99": 100},
    "random-search-rare": {"p99": 50},
    "uncached": {"cpu_ms": 6},
}


def query_key(key: str, fresh: bool | str) -> str:
    """Where the probe records a page's query count."""
    if fresh == RANDOM_PAGES:
        return f"{key}:random"
    return f"{key}:fresh" if fresh else key


def run_seconds() -> int:
    """How long measuring every row as both viewers takes, at most."""
    rows = len(PAGES) + len(RANDOM_ROWS)
    return rows * 2 * (env_int("BENCH_DURATION", 20) + env_int("BENCH_WARMUP", 5))


def bench_env() -> dict:
    env = dict(os.environ)
    # Always its own folder: the bench tunes and fills it, which no other database should get.
    env["EMBEDDED_DB_DIR"] = os.environ.get("BENCH_DB_DIR", str(ROOT / ".pgdata-bench"))
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "commsnet.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Longer than a whole run: a connection closed midway would take its database
            # process, and the CPU time it used in that row, with it.
            "DB_CONN_MAX_AGE": str(run_seconds() + 600),
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def run(args: list[str], env: dict) -> None:
    print("$", " ".join(args), flush=True)
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def selected(key: str, traffic: str) -> bool:
    """Whether BENCH_ONLY asks for this row (by its key, or "hot" or "random" for its kind)."""
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    return not only or key in only or ("hot" if traffic == HOT else "random") in only


def fmt(value, spec: str) -> str:
    return format(value, spec) if value is not None else "–"


def target_text(kind: str) -> str:
    target = TARGETS[kind]
    parts = []
    if "rps" in target:
        parts.append(f"≥ {target['rps']}/s")
    if "p99" in target:
        parts.append(f"p99 ≤ {target['p99']} ms")
    if "cpu_ms" in target:
        parts.append(f"CPU ≤ {target['cpu_ms']} ms/req")
    return ", ".join(parts)


def verdict(kind: str, result: dict | None) -> str:
    if not result or result.get("p99") is None:
        return "not measured"
    target = TARGETS[kind]
    misses = []
    if "rps" in target and result["rps"] < target["rps"]:
        misses.append(f"{result['rps'] / target['rps'] - 1:+.0%} req/s")
    if "p99" in target and result["p99"] > target["p99"]:
        misses.append(f"p99 {result['p99'] / target['p99'] - 1:+.0%}")
    if "cpu_ms" in target and (result["cpu_ms"] or 0) > target["cpu_ms"]:
        misses.append(f"CPU {result['cpu_ms'] / target['cpu_ms'] - 1:+.0%}")
    if result["errors"]:
        misses.append(f"{result['errors']} error responses")
    if result["timeouts"]:
        misses.append(f"{result['timeouts']} timeouts")
    return "met" if not misses else "missed: " + ", ".join(misses)


def capacity(cpu_ms: float | None) -> float | None:
    """Requests per second the machine's cores could serve if nothing else ran."""
    return (os.cpu_count() or 1) * 1000 / cpu_ms if cpu_ms else None


def uncached_summary(rows: list[dict]) -> list[str]:
    """The issue's CPU target, said in full: an uncached thread page of 20 posts costs at most
    6 ms of CPU (web workers plus PostgreSQL) per request."""
    lines = []
    limit = TARGETS["uncached"]["cpu_ms"]
    for row in rows:
        m = row.get("result") or {}
        if row["key"] != UNCACHED_THREAD or m.get("cpu_ms") is None:
            continue
        lines.append(
            f"**Uncached thread page (20 replies), {row['viewer']}: {m['cpu_ms']:.1f} ms CPU per request** "
            f"(web workers {m['web_cpu_ms']:.1f} ms + PostgreSQL {m['db_cpu_ms']:.1f} ms); "
            f"target at most {limit} ms: {'met' if m['cpu_ms'] <= limit else 'missed'}."
        )
    return [*lines, ""] if lines else []


def report(rows: list[dict], memory: dict[str, list[float]], settings: str, notes: dict[str, str]) -> str:
    lines = [
        f"# CommsNet bench, {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        settings,
        "",
        *uncached_summary(rows),
        "| page | traffic | viewer | status | SQL queries | req/s | p50 ms | p99 ms | CPU ms/req | web ms "
        "| PostgreSQL ms | req/s if idle | target | result |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        m = row.get("result") or {}
        lines.append(
            f"| {row['label']} | {row['traffic']} | {row['viewer']} | {row.get('status', '–')} "
            f"| {row.get('queries', '–')} | {fmt(m.get('rps'), '.0f')} "
            f"| {fmt(m.get('p50'), '.1f')} | {fmt(m.get('p99'), '.1f')} | {fmt(m.get('cpu_ms'), '.1f')} "
            f"| {fmt(m.get('web_cpu_ms'), '.1f')} | {fmt(m.get('db_cpu_ms'), '.1f')} "
            f"| {fmt(capacity(m.get('cpu_ms')), '.0f')} | {target_text(row['kind'])} | {row['verdict']} |"
        )
    lines += [
        "",
        "CPU ms/req: CPU time the gunicorn workers (web) and PostgreSQL's processes used per request "
        "during the run; req/s if idle = CPUs × 1000 / CPU ms/req, what the cores could serve with "
        "nothing else running. SQL queries: for one request of the row (the first line of a random row's file).",
        "",
    ]
    drawn = {row["key"]: notes[row["key"]] for row in rows if row["traffic"] == RANDOM and row["key"] in notes}
    if drawn:
        lines += ["Random traffic draws from: " + "; ".join(f"{k}: {v}" for k, v in drawn.items()) + ".", ""]
    for when, sizes in memory.items():
        lines.append(f"Worker memory (RSS) after the {when} rows: " + ", ".join(f"{s:.0f} MB" for s in sizes))
    lines.append("")
    return "\n".join(lines)


# The embedded server starts with PostgreSQL's defaults (128 MB of shared buffers), too
# small to hold the data set's hot pages, as no production server would be set up.
TUNE_EMBEDDED_DB = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ALTER SYSTEM SET shared_buffers = '1GB'")
    cursor.execute("ALTER SYSTEM SET effective_cache_size = '8GB'")
"""


def hot_rows(probed: dict, viewers: dict[str, str]):
    """(row, url path, cookie, file of paths or None, fresh) for each hot-page row to measure."""
    for label, kind, key, fresh in PAGES:
        if not selected(key, HOT):
            continue
        for viewer, cookie in viewers.items():
            if key in OTHER_MEMBERS:
                if viewer == "visitor":
                    continue  # a visitor's page is the same as on the row for BENCH_USERNAME
                cookie = f"sessionid={probed['other_sessions'][OTHER_MEMBERS[key]]}"
            counted = probed["queries"][viewer].get(query_key(key, fresh), {})
            traffic = RANDOM if fresh == RANDOM_PAGES else HOT
            row = {"label": label, "traffic": traffic, "viewer": viewer, "kind": kind, "key": key, **counted}
            path, paths = probed["urls"].get(key), None
            if path and fresh:
                # Through the random-paths script: one line (a fresh parameter is added to
                # each request), or each page of the list.
                pages = range(1, probed["pages"].get(key, 1) + 1) if fresh == RANDOM_PAGES else [None]
                paths = TRAFFIC_DIR / f"{query_key(key, fresh).replace(':', '-')}.txt"
                paths.parent.mkdir(parents=True, exist_ok=True)
                paths.write_text("".join(f"{path}&page={page}\n" if page else f"{path}\n" for page in pages))
            yield row, path, cookie, paths, fresh is True


def random_rows(probed: dict, viewers: dict[str, str]):
    """The same for each random-traffic row to measure."""
    traffic = probed["traffic"]
    for label, kind, key, fresh in RANDOM_ROWS:
        if not selected(key, RANDOM):
            continue
        files = traffic["files"].get(key, {})
        if key in traffic["missing"]:
            row = {"label": label, "traffic": RANDOM, "viewer": "–", "kind": kind, "key": key}
            yield {**row, "status": traffic["missing"][key]}, None, "", None, fresh
        for viewer, cookie in viewers.items():
            if viewer not in files:
                continue
            counted = probed["queries"][viewer].get(key, {})
            row = {"label": label, "traffic": RANDOM, "viewer": viewer, "kind": kind, "key": key, **counted}
            first = Path(files[viewer]).read_text().split("\n", 1)[0]
            path, _, line_cookie = first.partition("\t")
            yield row, path, line_cookie or cookie, Path(files[viewer]), fresh


def main() -> None:
    env = bench_env()
    wrk = ensure_wrk()
    if not env.get("DATABASE_URL"):
        # Takes effect when the embedded server next starts: each step below starts it anew.
        run([PYTHON, "-c", TUNE_EMBEDDED_DB], env)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "seed_scale", "--if-missing"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    print("Finding the pages and writing the random traffic's paths…", flush=True)
    found = subprocess.run(
        [PYTHON, str(Path(__file__).with_name("bench_probe.py"))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    probed = json.loads(found.strip().splitlines()[-1])
    port = env_int("BENCH_PORT", 8765)
    base = f"http://127.0.0.1:{port}"
    # Who asks: a signed-in member (their session cookie) and a visitor who is not signed in.
    viewers = {"member": f"sessionid={probed['session']}", "visitor": ""}
    server = subprocess.Popen(
        [GUNICORN, "commsnet.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    rows, memory = [], {}
    load_before = os.getloadavg()[0]
    try:
        wait_for(f"{base}/healthz")
        duration, warmup = env_int("BENCH_DURATION", 20), env_int("BENCH_WARMUP", 5)
        processes = functools.partial(measured_processes, server.pid, Path(env["EMBEDDED_DB_DIR"]))
        for when, planned in [(HOT, hot_rows(probed, viewers)), (RANDOM, random_rows(probed, viewers))]:
            measured = False
            for row, path, cookie, paths, fresh in planned:
                rows.append(row)
                if not path:
                    row.setdefault("status", "no URL yet")
                    row["verdict"] = "not measured"
                    continue
                row["status"] = status_of(base + path, cookie)
                if row["status"] != 200:
                    row["verdict"] = f"HTTP {row['status']}: not measured"
                    continue
                url = base + path if paths is None else base + "/"
                run_with = functools.partial(measure, wrk, url, cookie, processes=processes, paths=paths)
                if warmup:
                    # Another seed and another fresh prefix: the warm-up does not ask for what the run will.
                    run_with(warmup, fresh=f"w{time.time_ns():x}" if fresh else "", seed=2)
                row["result"] = run_with(duration, fresh=f"m{time.time_ns():x}" if fresh else "", seed=1)
                row["verdict"] = verdict(row["kind"], row["result"])
                measured = True
                print(f"  {row['label']} ({row['traffic']}, {row['viewer']}): {row['result']}", flush=True)
            if measured:
                memory["hot-page" if when == HOT else "random-traffic"] = worker_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    settings = (
        f"wrk {env_int('BENCH_THREADS', 2)} threads, {env_int('BENCH_CONNECTIONS', 8)} connections, "
        f"{env_int('BENCH_DURATION', 20)} s after a {env_int('BENCH_WARMUP', 5)} s warm-up; gunicorn 2 sync "
        f"workers, DEBUG off, persistent connections; each page as a signed-in member and as a visitor; "
        f"{os.cpu_count()} CPUs; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other work on the machine "
        "slows every number)."
    )
    settings += f" PostgreSQL shared_buffers {probed['shared_buffers']}."
    settings += (
        " Hot-page rows ask for one URL again and again, so cached pages and fragments answer it, as they do for"
        ' popular threads; those marked "never asked before" add a new parameter to every request, so no'
        " cached page can answer and they measure the full work. Random-traffic rows draw each request"
        " from a file of paths (bench-results/traffic/), as readers spread over a whole forum do; the"
        " searches and the uncached thread page also add a new parameter to every request."
    )
    text = report(rows, memory, settings, probed["traffic"]["notes"])
    print(text)
    out = ROOT / "bench-results" / f"{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    print(f"Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
