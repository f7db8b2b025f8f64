"""`make bench`: how fast is CommsNet on a large data set?

Seeds the scale data set (manage.py seed_scale) into its own embedded database if
it is missing, serves the portal with gunicorn (2 sync workers, DEBUG off,
persistent database connections) on loopback, and measures each page with wrk:
requests per second and p50/p99 latency. It also counts the SQL queries each page
runs and reports the workers' memory. The table is printed and written to
bench-results/<timestamp>.md so runs can be compared over time.

Each page is measured twice: as a signed-in member and as a visitor who is not
signed in. With the embedded database, the bench gives PostgreSQL 1 GB of shared
buffers first (its default 128 MB is far below any production setting).

Environment: BENCH_DURATION (seconds, default 20), BENCH_WARMUP (5),
BENCH_THREADS (2), BENCH_CONNECTIONS (8), BENCH_PORT (8765), BENCH_DB_DIR
(.pgdata-bench in the checkout; ignored when DATABASE_URL is set), BENCH_ONLY (a
comma-separated list of the pages to measure, by their keys in PAGES: "thread,community").
"""

# A developer tool that runs our own commands and fetches loopback URLs it built itself.
# ruff: noqa: S310, S603, S607

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
COMMON_QUERY = "social media"
RARE_QUERY = "sinkhole"
SIMILAR_TITLE = "How do you handle social media comments during the election?"

# (label, kind of page: "list" or "search-common" or "search-rare", key in the probe's URLs,
# fresh: each request a URL never asked for before, so no cached page can answer it; or
# RANDOM_PAGES: each request a page of the list picked at random, as readers browse it)
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
# Rows whose member is another bench account than BENCH_USERNAME (a member of 40
# communities): the probe signs each in and gives wrk their own session cookie.
OTHER_MEMBERS = {"home_ten": "ten"}
# Adds a parameter that changes with every request (and that the pages ignore), so
# each one misses every page cache and measures the full work.
FRESH_URLS_LUA = """
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("prefix", threads)
end
local counter = 0
function request()
    counter = counter + 1
    return wrk.format(nil, wrk.path .. "&fresh=" .. prefix .. "-" .. counter)
end
"""
# Asks for a page of the list picked at random (among `pages`, set by measure()).
RANDOM_PAGES_LUA = """
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("seed", threads)
end
function init(args)
    math.randomseed(os.time() * 100 + seed)
end
function request()
    return wrk.format(nil, wrk.path .. "&page=" .. math.random(1, pages))
end
"""
# Targets on a 2-core machine: requests per second at least, p99 in ms at most.
TARGETS = {"list": (400, 30), "search-common": (110, 100), "search-rare": (110, 30)}


def query_key(key: str, fresh: bool | str) -> str:
    """Where the probe records a page's query count."""
    if fresh == RANDOM_PAGES:
        return f"{key}:random"
    return f"{key}:fresh" if fresh else key


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def run_seconds() -> int:
    """How long measuring every page as both viewers takes, at most."""
    return len(PAGES) * 2 * (env_int("BENCH_DURATION", 20) + env_int("BENCH_WARMUP", 5))


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


# The probe runs inside Django (a subprocess of this script, with the bench settings).


def probe() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from communities.models import Community
    from forums.management.commands.seed_scale import BENCH_USERNAME, BIG_THREAD_TITLE, member_of_ten_communities
    from forums.models import Post, Thread
    from members.models import User
    from members.selectors import listed_members

    setup_test_environment()
    member = User.objects.get(username=BENCH_USERNAME)
    public = Community.objects.filter(slug__startswith="scale-", visibility=Community.Visibility.PUBLIC)
    community = public.order_by("-thread_count").first()
    typical = Thread.objects.filter(community__in=public, reply_count=20, is_hidden=False).order_by("pk").first()
    big = Thread.objects.get(title=BIG_THREAD_TITLE)
    # Another member's published posts in public communities, as everyone may read them.
    busiest = (
        Post.objects.filter(
            author__in=listed_members().exclude(username=BENCH_USERNAME),
            status=Post.Status.PUBLISHED,
            thread__community__in=public,
        )
        .values("author__username")
        .annotate(posts=Count("pk"))
        .order_by("-posts")
        .first()
    )

    def url(name: str, **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    def thread_url(thread) -> str | None:
        return url("thread_detail", pk=thread.pk, slug=thread.slug)

    search = url("search")
    similar = url("similar_threads")
    urls = {
        "directory": url("community_directory"),
        "home": url("home"),
        "home_ten": url("home"),
        "community": url("community_home", slug=community.slug),
        "thread": thread_url(typical),
        "big_first": thread_url(big),
        "big_last": None,
        "search_common": search and f"{search}?q={COMMON_QUERY.replace(' ', '+')}",
        "search_rare": search and f"{search}?q={RARE_QUERY}",
        "similar": similar and f"{similar}?title={SIMILAR_TITLE.replace(' ', '+').replace('?', '%3F')}",
        "written_by": search and busiest and f"{search}?author={urllib.parse.quote(busiest['author__username'])}",
        # With a parameter (the default sort), so random pages can add "&page=".
        "latest": url("latest") and f"{url('latest')}?sort=activity",
    }
    # Random pages are picked among those a visitor has (a member has at least as many).
    pages = {}
    if urls["latest"]:
        page_obj = Client().get(urls["latest"]).context["page_obj"]
        pages["latest"] = page_obj.paginator.num_pages
    client = Client()
    client.force_login(member)
    other_clients = {"ten": Client()}
    other_clients["ten"].force_login(member_of_ten_communities())
    if urls["big_first"]:
        response = client.get(urls["big_first"])
        page_obj = response.context and response.context.get("page_obj")
        last = page_obj.paginator.num_pages if page_obj else 9999
        urls["big_last"] = f"{urls['big_first']}?page={last}"
    # Each page as wrk will ask for it: "never asked before" pages with a parameter no
    # earlier request had, so the count is that of the full work.
    measured = {query_key(key, fresh): (key, fresh) for _label, _kind, key, fresh in PAGES}
    queries = {"member": {}, "visitor": {}}
    for viewer, default_client in [("member", client), ("visitor", Client())]:
        for name, (key, fresh) in measured.items():
            path = urls.get(key)
            if not path:
                continue
            viewer_client = default_client
            if viewer == "member" and key in OTHER_MEMBERS:
                viewer_client = other_clients[OTHER_MEMBERS[key]]
            viewer_client.get(path)  # warm caches (sessions, content types) as a running worker would have them
            if fresh == RANDOM_PAGES:
                path += f"&page={pages.get(key, 1) // 2 or 1}"
            elif fresh:
                path += f"&fresh=probe-{viewer}"
            with CaptureQueriesContext(connection) as captured:
                status = viewer_client.get(path).status_code
            queries[viewer][name] = {"status": status, "queries": len(captured.captured_queries)}
    # The member's cookie for wrk: the session force_login made, checked to be signed in,
    # so their rows measure what a member sees (the visitor's rows send no cookie).
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    check = Client()
    check.cookies[settings.SESSION_COOKIE_NAME] = session_key
    if not check.get(urls["home"]).wsgi_request.user.is_authenticated:
        sys.exit("The bench session is not signed in.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    sessions = {name: other.cookies[settings.SESSION_COOKIE_NAME].value for name, other in other_clients.items()}
    found = {"urls": urls, "pages": pages, "queries": queries, "session": session_key, "other_sessions": sessions}
    print(json.dumps({**found, "shared_buffers": shared_buffers}))


# Measuring, outside Django.


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return shutil.which("wrk") or "wrk"
    sys.exit("wrk is missing: install it with `sudo apt-get install wrk`, then run `make bench` again.")


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def children_of(parent: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if re.search(rf"^PPid:\s+{parent}$", status.read_text(), re.M):
                found.append(int(status.parent.name))
        except OSError:
            continue
    return found


def cpu_seconds(processes: list[int]) -> dict[int, float]:
    """User + system CPU time used so far by each of these processes."""
    used = {}
    for pid in processes:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU time used between two readings. A process that ended in between (a database
    backend, say) is left out rather than counted as negative time."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def measured_processes(master: int, data_dir: Path) -> list[int]:
    """The gunicorn workers and the database server's processes: where a request's CPU goes."""
    processes = children_of(master)
    pid_file = data_dir / "postmaster.pid"
    if pid_file.exists():
        postmaster = int(pid_file.read_text().split()[0])
        processes += [postmaster, *children_of(postmaster)]
    return processes


def measure(wrk: str, url: str, cookie: str, duration: int, pids, fresh: bool | str = False, pages: int = 1) -> dict:
    threads, connections = env_int("BENCH_THREADS", 2), env_int("BENCH_CONNECTIONS", 8)
    args = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency"]
    if fresh == RANDOM_PAGES:
        script = ROOT / "bench-results" / "random-pages.lua"
        script.parent.mkdir(exist_ok=True)
        script.write_text(f"pages = {max(pages, 1)}\n" + RANDOM_PAGES_LUA)
        args += ["-s", str(script)]
    elif fresh:
        script = ROOT / "bench-results" / "fresh-urls.lua"
        script.parent.mkdir(exist_ok=True)
        script.write_text(FRESH_URLS_LUA)
        args += ["-s", str(script)]
    args += ["-H", f"Cookie: {cookie}", url] if cookie else [url]
    before = cpu_seconds(pids())
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    used = cpu_used(before, cpu_seconds(pids()))
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    result["cpu_ms"] = used * 1000 / requests if requests else None
    timeouts = re.search(r"timeout (\d+)", out)
    result["timeouts"] = int(timeouts.group(1)) if timeouts else 0
    for label, key in [("50%", "p50"), ("99%", "p99")]:
        match = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", out, re.M)
        result[key] = to_ms(match.group(1)) if match else None
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


def status_of(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if status_of(url, "") == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"The server did not answer at {url}.")


def worker_rss_mb(master: int) -> list[float]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
    return sorted(sizes)


def verdict(kind: str, result: dict | None) -> str:
    if not result or result.get("p99") is None:
        return "not measured"
    rps_target, p99_target = TARGETS[kind]
    misses = []
    if result["rps"] < rps_target:
        misses.append(f"{result['rps'] / rps_target - 1:+.0%} req/s")
    if result["p99"] > p99_target:
        misses.append(f"p99 {result['p99'] / p99_target - 1:+.0%}")
    if result["errors"]:
        misses.append(f"{result['errors']} error responses")
    if result["timeouts"]:
        misses.append(f"{result['timeouts']} timeouts")
    return "met" if not misses else "missed: " + ", ".join(misses)


def capacity(cpu_ms: float | None) -> float | None:
    """Requests per second the machine's cores could serve if nothing else ran."""
    return (os.cpu_count() or 1) * 1000 / cpu_ms if cpu_ms else None


def report(rows: list[dict], rss: list[float], settings: str) -> str:
    lines = [
        f"# CommsNet bench, {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        settings,
        "",
        "| page | viewer | status | SQL queries | req/s | p50 ms | p99 ms | CPU ms/req | req/s if idle "
        "| target | result |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        m = row.get("result") or {}
        rps_target, p99_target = TARGETS[row["kind"]]

        def fmt(value, spec):
            return format(value, spec) if value is not None else "–"

        lines.append(
            f"| {row['label']} | {row['viewer']} | {row.get('status', '–')} | {row.get('queries', '–')} "
            f"| {fmt(m.get('rps'), '.0f')} "
            f"| {fmt(m.get('p50'), '.1f')} | {fmt(m.get('p99'), '.1f')} | {fmt(m.get('cpu_ms'), '.1f')} "
            f"| {fmt(capacity(m.get('cpu_ms')), '.0f')} | ≥ {rps_target}/s, p99 ≤ {p99_target} ms "
            f"| {row['verdict']} |"
        )
    lines += [
        "",
        "CPU ms/req: CPU time the gunicorn workers and PostgreSQL used per request during the run; "
        "req/s if idle = CPUs × 1000 / CPU ms/req, what the cores could serve with nothing else running.",
        "",
        "Worker memory (RSS): " + ", ".join(f"{size:.0f} MB" for size in rss),
        "",
    ]
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


def main() -> None:
    env = bench_env()
    wrk = ensure_wrk()
    if not env.get("DATABASE_URL"):
        # Takes effect when the embedded server next starts: each step below starts it anew.
        run([PYTHON, "-c", TUNE_EMBEDDED_DB], env)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "seed_scale", "--if-missing"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    found = subprocess.run(
        [PYTHON, __file__, "--probe"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
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
    rows, rss = [], []
    load_before = os.getloadavg()[0]
    try:
        wait_for(f"{base}/healthz")
        duration, warmup = env_int("BENCH_DURATION", 20), env_int("BENCH_WARMUP", 5)
        processes = functools.partial(measured_processes, server.pid, Path(env["EMBEDDED_DB_DIR"]))
        only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
        for label, kind, key, fresh in PAGES:
            if only and key not in only:
                continue
            for viewer, cookie in viewers.items():
                if key in OTHER_MEMBERS:
                    if viewer == "visitor":
                        continue  # a visitor's page is the same as on the row for BENCH_USERNAME
                    cookie = f"sessionid={probed['other_sessions'][OTHER_MEMBERS[key]]}"
                path = probed["urls"].get(key)
                counted = probed["queries"][viewer].get(query_key(key, fresh), {})
                row = {"label": label, "viewer": viewer, "kind": kind, **counted}
                if not path:
                    row.update(status="no URL yet", verdict="not built yet")
                    rows.append(row)
                    continue
                row["status"] = status_of(base + path, cookie)
                if row["status"] == 200:
                    pages = probed["pages"].get(key, 1)
                    if warmup:
                        measure(wrk, base + path, cookie, warmup, processes, fresh, pages)
                    row["result"] = measure(wrk, base + path, cookie, duration, processes, fresh, pages)
                    row["verdict"] = verdict(kind, row["result"])
                else:
                    row["verdict"] = f"HTTP {row['status']}: not measured"
                print(f"  {label} ({viewer}): {row.get('result', row['status'])}", flush=True)
                rows.append(row)
        rss = worker_rss_mb(server.pid)
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
        " Each run asks for one URL again and again, so cached pages and fragments answer it, as they do for"
        ' popular threads; rows marked "never asked before" add a new parameter to every request, so nothing'
        ' cached can answer and they measure the full work; rows marked "random pages" ask for a page of the'
        " list picked at random each time, as readers browsing it do."
    )
    text = report(rows, rss, settings)
    print(text)
    out_dir = ROOT / "bench-results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    out.write_text(text)
    print(f"Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    if "--probe" in sys.argv:
        probe()
    else:
        main()
