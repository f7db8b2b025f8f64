"""`make bench`'s measuring outside Django (scripts/bench_wrk.py): wrk's report and the CPU
time read from /proc."""

import os

from scripts.bench_wrk import cpu_per_request, cpu_seconds, parse_wrk, stat_cpu_ticks

WRK_REPORT = """Running 3s test @ http://127.0.0.1:8765/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    49.58ms   20.31ms   1.07s    68.02%
    Req/Sec    79.17     20.52   120.00     66.67%
  Latency Distribution
     50%  490.00us
     75%   62.00ms
     90%   77.00ms
     99%    1.07s
  472 requests in 3.01s, 10.23MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    157.04
Transfer/sec:      3.40MB
"""


def test_parse_wrk_reads_requests_latency_and_failures():
    assert parse_wrk(WRK_REPORT) == {
        "requests": 472,
        "rps": 157.04,
        "p50": 0.49,
        "p99": 1070.0,
        "timeouts": 2,
        "errors": 3,
    }


def test_stat_cpu_ticks_adds_user_and_system_time_after_an_awkward_command_name():
    fields = ["S", "1", "2", "3", "0", "-1", "4194560", "10", "0", "0", "0", "250", "31", "0", "0"]
    stat = "4242 (gunicorn: worker) [x)]) " + " ".join(fields)
    assert stat_cpu_ticks(stat) == 281


def test_cpu_seconds_reads_this_process_and_skips_one_that_is_gone():
    used = cpu_seconds([os.getpid(), 2**22 + 1])
    assert list(used) == [os.getpid()]
    assert used[os.getpid()] > 0


def test_cpu_per_request_splits_web_workers_and_postgresql():
    before = {"web": {10: 1.0, 11: 2.0}, "db": {20: 5.0, 21: 0.5}}
    # Worker 11 used 0.5 s, worker 10 1 s; backend 21 ended (left out), backend 22 started.
    after = {"web": {10: 2.0, 11: 2.5}, "db": {20: 5.2, 22: 0.1}}
    result = cpu_per_request(before, after, requests=100)
    assert round(result["web_cpu_ms"], 6) == 15.0
    assert round(result["db_cpu_ms"], 6) == 3.0
    assert round(result["cpu_ms"], 6) == 18.0


def test_cpu_per_request_is_unknown_without_requests():
    assert cpu_per_request({"web": {}, "db": {}}, {"web": {}, "db": {}}, requests=0)["cpu_ms"] is None
