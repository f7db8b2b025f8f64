"""Measuring for `make bench`, outside Django: one wrk run, with the CPU time the web
workers and PostgreSQL spent on it (read from /proc), and the workers' memory."""

# A developer tool that runs wrk and fetches loopback URLs it built itself.
# ruff: noqa: S310, S603, S607

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

RANDOM_PATHS_LUA = Path(__file__).resolve().parent / "bench-random-paths.lua"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


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


def parse_wrk(out: str) -> dict:
    """Requests, requests per second, p50 and p99 in ms, error responses and timeouts
    from wrk's --latency report."""
    result = {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
    }
    for label, key in [("50%", "p50"), ("99%", "p99")]:
        match = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", out, re.M)
        result[key] = to_ms(match.group(1)) if match else None
    timeouts = re.search(r"timeout (\d+)", out)
    result["timeouts"] = int(timeouts.group(1)) if timeouts else 0
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


def children_of(parent: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if re.search(rf"^PPid:\s+{parent}$", status.read_text(), re.M):
                found.append(int(status.parent.name))
        except OSError:
            continue
    return found


def stat_cpu_ticks(stat: str) -> int:
    """User + system CPU time in clock ticks from a /proc/<pid>/stat line. The command
    name, in brackets, may hold spaces and brackets: the fields counted start after its last ")"."""
    fields = stat.rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3 (state).
    return int(fields[11]) + int(fields[12])


def cpu_seconds(processes: list[int]) -> dict[int, float]:
    """User + system CPU time used so far by each of these processes."""
    used = {}
    for pid in processes:
        try:
            used[pid] = stat_cpu_ticks(Path(f"/proc/{pid}/stat").read_text()) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return used


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU time used between two readings. A process that ended in between (a database
    backend, say) is left out rather than counted as negative time; one that started in
    between counts from nothing."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def measured_processes(master: int, data_dir: Path) -> dict[str, list[int]]:
    """Where a request's CPU goes: the gunicorn workers, and the database server's processes
    (the postmaster and its children: the connections' backends and its helpers)."""
    found = {"web": children_of(master), "db": []}
    pid_file = data_dir / "postmaster.pid"
    if pid_file.exists():
        postmaster = int(pid_file.read_text().split()[0])
        found["db"] = [postmaster, *children_of(postmaster)]
    return found


def cpu_per_request(before: dict, after: dict, requests: int) -> dict:
    """CPU ms per request in the web workers, in PostgreSQL and both together, from two
    readings of cpu_seconds for each kind of process."""
    if not requests:
        return {"cpu_ms": None, "web_cpu_ms": None, "db_cpu_ms": None}
    web = cpu_used(before["web"], after["web"]) * 1000 / requests
    db = cpu_used(before["db"], after["db"]) * 1000 / requests
    return {"cpu_ms": web + db, "web_cpu_ms": web, "db_cpu_ms": db}


def measure(
    wrk: str,
    url: str,
    cookie: str,
    duration: int,
    processes: Callable[[], dict[str, list[int]]],
    *,
    paths: Path | None = None,
    fresh: str = "",
    seed: int = 1,
) -> dict:
    """One wrk run against `url`, or, given a file of `paths`, against a path drawn at random
    from it for each request (scripts/bench-random-paths.lua). `fresh` (a prefix unique to
    the run) adds a parameter no request had before to each request."""
    threads, connections = env_int("BENCH_THREADS", 2), env_int("BENCH_CONNECTIONS", 8)
    args = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency"]
    env = dict(os.environ)
    if paths is not None:
        args += ["-s", str(RANDOM_PATHS_LUA)]
        env.update(BENCH_PATHS=str(paths), BENCH_FRESH=fresh, BENCH_SEED=str(seed))
    args += ["-H", f"Cookie: {cookie}", url] if cookie else [url]
    kinds = processes()
    before = {kind: cpu_seconds(pids) for kind, pids in kinds.items()}
    out = subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout
    # Read the processes again: a database backend that started during the run counts too.
    after = {kind: cpu_seconds(pids) for kind, pids in processes().items()}
    result = parse_wrk(out)
    result.update(cpu_per_request(before, after, result["requests"]))
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
