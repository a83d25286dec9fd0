"""Acceptance: the demo province crawled by three worker hosts (network namespaces) sharing a real redis-server.

The merged result equals the single-host crawl (conftest's demo_db), also after a worker is killed with kill -9,
and a per-host concurrency of 1, counted at the replay proxy, holds across the three workers.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
import sqlite_utils

from govcrawl.distributed.keys import RunKeys
from govcrawl.distributed.redisproc import RedisProcess
from govcrawl.replay.proxy import ReplayServer, current_client

sys.path.insert(0, str(Path(__file__).parent))
from netns import Hosts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
WORKERS = 3
RESPONSE_DELAY = 0.05   # seconds per response, so that two requests to one host at once would overlap at the proxy
CRAWLER_HEADER = "X-Govcrawl-Test-Client"
HEADERS = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language": "en",
           CRAWLER_HEADER: "scrapy"}   # Scrapy's default request headers plus the marker
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


class SlowReplay(ReplayServer):
    """The demo fixtures, each answer delayed, counting per host the requests sent while another to the host was still
    unanswered (in its delay) on a connection the client still holds: of all clients, and of Scrapy's own HTTP client
    (marked by CRAWLER_HEADER) alone. A request sent before the previous one's answer began can only be a second one
    in flight. Counting instead until the last byte is written would also count the client's next request when it
    overtakes the server's own bookkeeping after that write. A request whose connection the client has closed is
    given up: Twisted sends an idempotent request again on a new connection when the pooled one it took fails (seen
    here: a HEAD, its connection closed by the client within 15 ms, the same HEAD on a new one), and that is one
    request, not two. Browser page loads fetch a page's scripts in parallel, and widget hosts shared by many sites,
    outside Scrapy's per-host limit, single-host as well."""

    def __init__(self, *args, delay: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.delay = delay

    def reset_stats(self) -> None:
        super().reset_stats()
        self.unanswered: dict[str, list[tuple]] = {}    # host -> (crawler?, connection) of requests in their delay
        self.unanswered_max: dict[str, int] = {}
        self.crawler_max: dict[str, int] = {}
        self.browser_hosts: set[str] = set()

    def _arrived(self, host: str, entry: tuple) -> None:
        with self._stats_lock:
            held = self.unanswered.setdefault(host, [])
            held[:] = [e for e in held if not e[1].hung_up()] + [entry]
            self.unanswered_max[host] = max(self.unanswered_max.get(host, 0), len(held))
            if entry[0]:
                self.crawler_max[host] = max(self.crawler_max.get(host, 0), sum(e[0] for e in held))

    def _answered(self, host: str, entry: tuple) -> None:
        with self._stats_lock:
            held = self.unanswered.get(host, [])
            if entry in held:
                held.remove(entry)

    async def respond(self, request, writer):
        host = (urlsplit(request.url).hostname or "").lower()
        crawler = request.header(CRAWLER_HEADER) is not None
        if not crawler:
            self.browser_hosts.add(host)
        entry = (crawler, current_client())
        self._arrived(host, entry)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self._answered(host, entry)
        return await super().respond(request, writer)


@pytest.fixture(scope="module")
def hosts():
    with Hosts(WORKERS) as h:
        yield h


@pytest.fixture(scope="module")
def redis_server(hosts):
    with RedisProcess(bind=hosts.address) as server:
        yield server


@pytest.fixture(scope="module")
def proxy(hosts):
    server = SlowReplay(DEMO, host=hosts.address, delay=RESPONSE_DELAY).start()
    yield server
    server.stop()


def govcrawl(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "govcrawl.cli", *args], cwd=ROOT, env=ENV, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def start_worker(hosts, i, redis_url, proxy, run, db: Path, *settings: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "scrapy", "crawl", "provincial", "-s", f"REDIS_URL={redis_url}", "-a", f"run={run}",
            "-a", f"proxy={proxy.url}", "-s", f"GOVCRAWL_DB={db}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "GOVCRAWL_SCREENSHOTS=0",
            "-s", f"DEFAULT_REQUEST_HEADERS={json.dumps(HEADERS)}",
            "-s", "LOG_LEVEL=INFO", *[x for s in settings for x in ("-s", s)]]
    log = open(db.with_suffix(".log"), "w")
    return subprocess.Popen(hosts.command(i, argv), cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT)


def wait_all(workers: list[subprocess.Popen], dbs: list[Path], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    for proc, db in zip(workers, dbs):
        try:
            proc.wait(max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for p in workers:
                p.kill()
            pytest.fail(f"workers did not finish; log tail:\n{db.with_suffix('.log').read_text()[-3000:]}")
    for proc, db in zip(workers, dbs):
        if proc.returncode not in (0, -signal.SIGKILL):
            pytest.fail(f"worker failed ({proc.returncode}):\n{db.with_suffix('.log').read_text()[-3000:]}")


def without_timings(value):
    """Evidence minus what differs between two crawls of the same pages: elapsed times and screenshot paths."""
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in ("elapsed_ms", "screenshots")}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def rows(db_path: Path, table: str, run_id: str) -> list[str]:
    """A table's rows of one run, comparable across runs: no run_id, no times (judged_at …), no screenshot paths."""
    out = []
    for row in sqlite_utils.Database(db_path).query(f"select * from [{table}] where run_id = ?", [run_id]):
        row = {k: v for k, v in row.items() if k != "run_id" and not k.endswith("_at")}
        if table == "findings" and row.get("evidence"):
            row["evidence"] = without_timings(json.loads(row["evidence"]))
        out.append(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str))
    return sorted(out)


def assert_same_result(merged: Path, run: str, single: Path) -> None:
    for table in ("sites", "columns", "findings"):
        got, want = rows(merged, table, run), rows(single, table, "demo")
        assert want, f"the single-host run has no {table}"
        if got != want:
            extra, lacking = sorted(set(got) - set(want)), sorted(set(want) - set(got))
            first = [json.loads(x) for x in (extra[:1] + lacking[:1])]
            fields = {k for k in first[0] if len(first) == 2 and first[0].get(k) != first[1].get(k)}
            pytest.fail(f"{table}: {len(extra)} rows differ from the single-host run; first differing fields "
                        f"{ {k: (first[0][k], first[1][k]) for k in fields} if fields else first}")


def run_cluster(tmp: Path, hosts, redis_server, proxy, run: str, *settings: str, on_progress=None):
    govcrawl("enqueue", str(DEMO / "registry.csv"), "--run", run, "--as-of", "2019-06-10", "--redis", redis_server.url)
    proxy.reset_stats()
    dbs = [tmp / f"worker-{i}.db" for i in range(1, WORKERS + 1)]
    workers = [start_worker(hosts, i, redis_server.url, proxy, run, db, *settings) for i, db in enumerate(dbs, 1)]
    if on_progress is not None:
        on_progress(workers)
    wait_all(workers, dbs)
    merged = tmp / "merged.db"
    govcrawl("merge", "--run", run, "--redis", redis_server.url, "--out", str(merged), *map(str, dbs))
    stats = {**proxy.stats(), "crawler_max_in_flight_per_host": dict(proxy.crawler_max),
             "max_in_flight_per_host": dict(proxy.unanswered_max), "browser_hosts": set(proxy.browser_hosts)}
    return merged, dbs, stats


@pytest.fixture(scope="module")
def three_workers(tmp_path_factory, hosts, redis_server, proxy):
    started = time.monotonic()
    merged, dbs, stats = run_cluster(tmp_path_factory.mktemp("three"), hosts, redis_server, proxy, "dist3")
    print(f"three workers: {time.monotonic() - started:.1f}s ({'namespaces' if hosts.isolated else 'local'})")
    return merged, dbs, stats


def test_three_workers_merge_to_the_single_host_result(three_workers, demo_db, redis_server):
    merged, dbs, _ = three_workers
    assert_same_result(merged, "dist3", demo_db)
    shares = [sqlite_utils.Database(db)["distributed_acks"].count for db in dbs]
    assert all(n > 0 for n in shares), f"every worker should have crawled some sites: {shares}"
    client = redis.Redis.from_url(redis_server.url)
    keys = list(client.scan_iter(match=RunKeys("dist3").pattern))
    assert keys and all(client.ttl(k) > 0 for k in keys), "a completed run's keys all expire"


def test_per_host_concurrency_of_one_holds_across_workers(three_workers):
    _, _, stats = three_workers
    crawler = stats["crawler_max_in_flight_per_host"]
    assert len(crawler) >= 40 and stats["requests"] > 500
    assert max(crawler.values()) == 1, {h: n for h, n in crawler.items() if n > 1}
    at_proxy = {h: n for h, n in stats["max_in_flight_per_host"].items() if h not in stats["browser_hosts"]}
    assert len(at_proxy) >= 30 and max(at_proxy.values()) == 1, {h: n for h, n in at_proxy.items() if n > 1}
    assert stats["max_in_flight"] > WORKERS   # the cluster did crawl hosts side by side


def test_kill_9_of_a_worker_loses_nothing(tmp_path, hosts, redis_server, proxy, demo_db):
    run = "dist-kill"
    client = redis.Redis.from_url(redis_server.url)
    keys = RunKeys(run)
    killed = {}

    def kill_first_worker_mid_run(workers):
        victim = workers[0]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and victim.poll() is None:
            holders = [json.loads(v)["owner"] for v in client.hvals(keys.leases)]
            if client.hlen(keys.done) >= 4 and any(f"-{victim.pid}-" in h for h in holders):
                victim.send_signal(signal.SIGKILL)
                killed["at_done"] = client.hlen(keys.done)
                return
            time.sleep(0.1)

    merged, dbs, _ = run_cluster(tmp_path, hosts, redis_server, proxy, run, "GOVCRAWL_LEASE_TTL=3",
                                 "GOVCRAWL_LEASE_HEARTBEAT=1", "GOVCRAWL_RECLAIM_INTERVAL=1",
                                 on_progress=kill_first_worker_mid_run)
    assert killed, "the worker finished before it could be killed"
    assert int(client.hget(keys.stats, "reclaimed") or 0) >= 1
    assert_same_result(merged, run, demo_db)
