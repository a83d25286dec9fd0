"""A network that behaves like the real one, for the realistic part of bench/run.py: the replay proxy with a seeded
latency model, and the politeness lower bound computed from the proxy's own log.

    .venv/bin/python bench/network.py FIXTURES PORT --seed 8 --hosts registry.csv --log requests.tsv

The model (all draws are functions of the seed, the host and the URL, not of arrival order):
- every host has a base latency (time to the first byte) from a log-normal distribution with median 0.3 s; a few
  hosts of the registry (2 %) are slow, 2-3.5 s;
- each request takes its host's base latency × 0.7-1.3;
- 1 % of requests stall: no answer until the client gives up (past DOWNLOAD_TIMEOUT), then the connection closes;
- a few hosts of the registry (3 %, at least 1) are fragile: they answer 429 or 503 (one status per host) when more
  than two requests from the same client address are in flight to them; one of them, at least, serves a site that
  needs the browser (its renders add the page's own scripts and styles to the requests in flight). These answers are
  counted.
The proxy writes one tab-separated line per request to the log: host, method, status (`stall` for a stall),
seconds the request was held, 1 when it was an overload answer, when it arrived (seconds since the proxy started),
URL.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import math
import random
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govcrawl.replay.proxy import ReplayServer, current_client  # noqa: E402
from govcrawl import settings as defaults  # noqa: E402

MEDIAN_LATENCY = 0.3
LATENCY_SIGMA = 0.6          # log-normal spread: ~10 % of hosts over 0.65 s, ~1 % over 1.2 s
SLOW_SHARE, SLOW_LATENCY = 0.02, (2.0, 3.5)
FRAGILE_SHARE, FRAGILE_LIMIT = 0.03, 2
STALL_SHARE = 0.01
STALL_SECONDS = defaults.DOWNLOAD_TIMEOUT + 15   # longer than any client waits; the client's close ends it sooner



@dataclass
class NetworkModel:
    seed: int
    hosts: list[str]                     # the registry's hosts: slow and fragile ones are drawn among them
    rendered: list[str] = field(default_factory=list)  # those of sites that need the browser: one of them is fragile
    slow: dict[str, float] = field(init=False)
    fragile: dict[str, int] = field(init=False)   # host -> the status it answers when overloaded

    def __post_init__(self):
        rng = random.Random(f"{self.seed}:network")
        hosts = sorted(set(self.hosts))
        slow = rng.sample(hosts, min(len(hosts), round(SLOW_SHARE * len(hosts))))
        self.slow = {h: rng.uniform(*SLOW_LATENCY) for h in slow}
        rest = [h for h in hosts if h not in self.slow]
        count = min(len(rest), max(1, round(FRAGILE_SHARE * len(hosts))))
        rendered = sorted(set(self.rendered) - set(self.slow))   # a www. host it serves from may not be registered
        first = [rng.choice(rendered)] if rendered and count else []
        fragile = first + rng.sample([h for h in rest if h not in first], count - len(first))
        self.fragile = {h: rng.choice((429, 503)) for h in fragile}

    def base_latency(self, host: str) -> float:
        if host in self.slow:
            return self.slow[host]
        return random.Random(f"{self.seed}:{host}").lognormvariate(math.log(MEDIAN_LATENCY), LATENCY_SIGMA)

    def request(self, host: str, url: str, nth: int) -> tuple[float, bool]:
        """(latency, stalls) of the nth time this URL is asked."""
        rng = random.Random(f"{self.seed}:{url}:{nth}")
        return self.base_latency(host) * rng.uniform(0.7, 1.3), rng.random() < STALL_SHARE


class LatencyReplayServer(ReplayServer):
    """The replay proxy behind the network model; `log_path` gets one line per request."""

    def __init__(self, fixtures_dir, model: NetworkModel, log_path: Path, **kw):
        super().__init__(fixtures_dir, **kw)
        self.model = model
        self.log_file = log_path.open("w", encoding="utf-8", buffering=1)
        self.asked: dict[str, int] = defaultdict(int)
        self.in_flight: dict[tuple[str, str], int] = defaultdict(int)   # (client address, host) -> requests
        self.epoch = time.monotonic()

    async def respond(self, request, writer) -> bool:
        host = (urlsplit(request.url).hostname or "").lower()
        client = (writer.get_extra_info("peername") or ("?",))[0]
        key = f"{request.method} {request.url}"
        self.asked[key] += 1
        latency, stalls = self.model.request(host, request.url, self.asked[key])
        started = time.monotonic()
        self.in_flight[client, host] += 1
        # a fragile host refuses a request that arrives while the client has two in flight to it
        overload = host in self.model.fragile and self.in_flight[client, host] > FRAGILE_LIMIT
        try:
            if stalls and not overload:
                await self._stall(writer)
                self._log(host, request, "stall", started, False)
                return False
            await asyncio.sleep(latency)
            if overload:
                status = self.model.fragile[host]
                self._count_status(status)
                await self._send_overload(writer, status, request)
                self._log(host, request, status, started, True)
                return True
            keep = await super().respond(request, writer)
            self._log(host, request, "ok", started, False)
            return keep
        finally:
            self.in_flight[client, host] -= 1

    async def _stall(self, writer) -> None:
        """Hold the request until the client hangs up (a FIN ends the reader, a reset closes the transport)."""
        client = current_client()
        deadline = time.monotonic() + STALL_SECONDS
        while time.monotonic() < deadline and not writer.is_closing() and not (client and client.hung_up()):
            await asyncio.sleep(0.25)

    @staticmethod
    async def _send_overload(writer, status: int, request) -> None:
        from govcrawl.replay.http11 import send_simple

        await send_simple(writer, status, "Too many requests from your address" if status == 429
                          else "Service temporarily unavailable", keep_alive=request.keep_alive)

    def _log(self, host: str, request, status, started: float, overload: bool) -> None:
        held, since = time.monotonic() - started, started - self.epoch
        self.log_file.write(f"{host}\t{request.method}\t{status}\t{held:.3f}\t{int(overload)}\t{since:.3f}\t"
                            f"{request.url}\n")


@dataclass
class Held:
    host: str
    status: str
    seconds: float
    overload: bool
    arrived: float = 0.0   # seconds since the proxy started


def read_log(path: Path) -> list[Held]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        if len(parts) != 7:
            raise ValueError(f"{path}:{number}: expected 7 tab-separated fields, got {len(parts)}")
        rows.append(Held(parts[0], parts[2], float(parts[3]), parts[4] == "1", float(parts[5])))
    return rows


@dataclass
class Bound:
    seconds: float
    host: str              # the slowest host
    host_requests: int
    host_latency: float
    host_seconds: float    # its requests × (delay + latency) / per-domain concurrency
    all_seconds: float     # all requests × mean latency / CONCURRENT_REQUESTS
    requests: int
    mean_latency: float


def politeness_bound(rows: list[Held], delay: float, per_domain: int, concurrent: int) -> Bound:
    """The politeness lower bound of a crawl from the proxy's log: the larger of the slowest host's requests ×
    (delay + its mean latency) / per-domain concurrency and all requests × mean latency / CONCURRENT_REQUESTS."""
    per_host: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        per_host[row.host].append(row.seconds)
    cost = {h: len(s) * (delay + sum(s) / len(s)) / per_domain for h, s in per_host.items()}
    host = max(cost, key=cost.get) if cost else ""
    total = sum(r.seconds for r in rows)
    all_seconds = total / concurrent
    held = per_host.get(host, [0.0])
    return Bound(max(cost.get(host, 0.0), all_seconds), host, len(per_host.get(host, [])), sum(held) / len(held),
                 cost.get(host, 0.0), all_seconds, len(rows), total / len(rows) if rows else 0.0)


def mean_in_flight(rows: list[Held]) -> float:
    """Requests the proxy held at once, averaged over the time from the first arrival to the last answer."""
    if not rows:
        return 0.0
    start = min(r.arrived for r in rows)
    end = max(r.arrived + r.seconds for r in rows)
    return sum(r.seconds for r in rows) / (end - start) if end > start else 0.0


def registry_sites(registry: Path) -> list[tuple[str, str]]:
    """(site code, host) of each registry row with a URL."""
    with registry.open(encoding="utf-8", newline="") as fh:
        return [(row.get("site_code", ""), (urlsplit(row["url"]).hostname or "").lower())
                for row in csv.DictReader(fh) if row.get("url")]


def network_model(seed: int, registry: Path, fixtures: Path) -> NetworkModel:
    """The model of a bench province: its registry's hosts; marked rendered, the host that serves the pages of each
    site of fixtures/browser-sites.txt (its www. host when its homepage sends the crawl there)."""
    listed = fixtures / "browser-sites.txt"
    codes = set(listed.read_text(encoding="utf-8").split()) if listed.exists() else set()
    sites = registry_sites(registry)
    return NetworkModel(seed, [h for _, h in sites], [serving_host(fixtures, h) for code, h in sites if code in codes])


def serving_host(fixtures: Path, host: str) -> str:
    """Of a site's host and its www. host, the one with more recorded files in fixtures/hosts/."""
    def files(name: str) -> int:
        folder = fixtures / "hosts" / name
        return sum(1 for _ in folder.rglob("*")) if folder.is_dir() else 0
    return max((host, f"www.{host}"), key=files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--hosts", type=Path, required=True, help="registry CSV whose hosts may be slow or fragile")
    parser.add_argument("--log", type=Path, required=True, help="one line per request (tab-separated)")
    args = parser.parse_args(argv)
    model = network_model(args.seed, args.hosts, args.fixtures)
    server = LatencyReplayServer(args.fixtures, model, args.log, port=args.port).start()
    try:
        print(f"replaying {server.root} on {server.url} (latency model, seed {args.seed}; slow hosts "
              f"{', '.join(sorted(model.slow))}; fragile hosts {', '.join(sorted(model.fragile))})", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        server.log_file.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
