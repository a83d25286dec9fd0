"""The realistic part of bench/run.py: the first sites of the bench province crawled with govcrawl's default
politeness (DOWNLOAD_DELAY, AutoThrottle, per-domain concurrency, sites in flight) through the replay proxy behind
the latency model of bench/network.py. Reports wall time against the politeness lower bound computed from the
proxy's log, requests by purpose (the crawl's `govcrawl/requests/<purpose>` stats) and the overload answers."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import measure
import network
from govcrawl import settings as defaults
from govcrawl.purposes import COLUMN_PURPOSES, PURPOSES, STAT_PREFIX
DEFAULT_SITES = 64      # a 638-site province at real delays would take most of an hour (bench/README.md)
GOALS = {"requests_per_column": 1.3, "realistic_wall_vs_bound": 1.5, "overload_answers": 0}


POLITENESS = ("DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_TARGET_CONCURRENCY", "CONCURRENT_REQUESTS",
              "CONCURRENT_REQUESTS_PER_DOMAIN", "GOVCRAWL_SITES_IN_FLIGHT")


def politeness(overrides: dict[str, str]) -> dict[str, float]:
    """govcrawl's politeness settings for this run: its defaults, with `--realistic-set NAME=VALUE` over them."""
    unknown = set(overrides) - set(POLITENESS)
    if unknown:
        raise SystemExit(f"--realistic-set: {', '.join(sorted(unknown))} is not one of {', '.join(POLITENESS)}")
    values = {}
    for name in POLITENESS:
        default = getattr(defaults, name)
        raw = overrides.get(name)
        try:
            values[name] = default if raw is None else (raw.lower() in ("1", "true", "on") if isinstance(default, bool)
                                                       else type(default)(raw))
        except ValueError:
            raise SystemExit(f"--realistic-set {name}={raw}: not a {type(default).__name__}") from None
    return values


@dataclass
class Realistic:
    settings: dict[str, float]
    sites: int
    browser_sites: int
    run: measure.Run
    bound: network.Bound
    rows: list[network.Held]
    columns: int
    model: network.NetworkModel

    @property
    def requests(self) -> dict[str, float]:
        return {p: self.run.stats[STAT_PREFIX + p] for p in PURPOSES if STAT_PREFIX + p in self.run.stats}

    @property
    def per_column(self) -> float | None:
        """Column-reading requests per column, None when the crawl keeps no govcrawl/requests/* stats."""
        requests = self.requests
        if not requests or not self.columns:
            return None
        return sum(requests.get(p, 0.0) for p in COLUMN_PURPOSES) / self.columns

    @property
    def overload_answers(self) -> int:
        return sum(r.overload for r in self.rows)

    @property
    def ratio(self) -> float:
        return self.run.wall / self.bound.seconds if self.bound.seconds else float("inf")


def subset(fixtures: Path, k: int) -> Path:
    """The first k sites of the whole province's registry (browser sites included): a seeded province of k."""
    rows = (fixtures / "registry.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = fixtures / f"registry-realistic-{k}.csv"
    path.write_text("".join(rows[: k + 1]), encoding="utf-8")
    return path


def crawl(fixtures: Path, k: int, seed: int, work: Path, as_of: str, timeout: float,
          overrides: dict[str, str] | None = None) -> Realistic:
    settings = politeness(overrides or {})
    registry = subset(fixtures, k)
    log_path = work / "realistic-requests.tsv"
    db = work / f"realistic-{k}.db"
    model = network.network_model(seed, registry, fixtures)
    with measure.ReplayProcess(fixtures, ["--seed", str(seed), "--hosts", str(registry), "--log", str(log_path)]) as proxy:
        command = measure.crawl_command(registry, proxy.url, db, True, as_of, polite=True)
        run = measure.run_sampled(command + [a for n, v in (overrides or {}).items() for a in ("-s", f"{n}={v}")],
                                  measure.ROOT, timeout)
    (work / "realistic-crawl.log").write_text(run.log, encoding="utf-8")   # kept with --keep
    rows = network.read_log(log_path)
    bound = network.politeness_bound(rows, settings["DOWNLOAD_DELAY"], settings["CONCURRENT_REQUESTS_PER_DOMAIN"],
                                     settings["CONCURRENT_REQUESTS"])
    columns = 0
    if db.exists():
        with sqlite3.connect(db) as con:
            columns = con.execute("SELECT count(*) FROM columns").fetchone()[0]
    browser = set((fixtures / "browser-sites.txt").read_text(encoding="utf-8").split())
    codes = [line.split(",", 1)[0] for line in registry.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return Realistic(settings, k, len(browser & set(codes)), run, bound, rows, columns, model)


def report(r: Realistic, seed: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Table rows and the three target lines of a realistic run."""
    b, s = r.bound, r.settings
    stalls = sum(row.status == "stall" for row in r.rows)
    rendered = sorted(set(r.model.fragile) & set(r.model.rendered))
    statuses = {s: int(r.run.stats.get(f"downloader/response_status_count/{s}", 0)) for s in (429, 503)}
    requests = r.requests
    by_purpose = ", ".join(f"{p} {requests.get(p, 0):.0f} ({requests.get(p, 0) / max(r.columns, 1):.2f}/column, "
                           f"{requests.get(p, 0) / r.sites:.1f}/site)" for p in PURPOSES if p in requests) if requests else \
        "no govcrawl/requests/<purpose> stats in this crawl"
    rows = [
        ("realistic network", f"{r.sites} sites ({r.browser_sites} need the browser), seed {seed}: latency median "
                              f"{network.MEDIAN_LATENCY} s log-normal; slow hosts {len(r.model.slow)}, fragile hosts "
                              f"{len(r.model.fragile)} ({len(rendered)} of a browser site: {', '.join(rendered)}); "
                              f"{len(r.rows)} requests, mean latency {b.mean_latency:.2f} s, "
                              f"{stalls} stalled past DOWNLOAD_TIMEOUT"),
        ("realistic settings", f"DOWNLOAD_DELAY {s['DOWNLOAD_DELAY']}, AutoThrottle "
                               f"{'on' if s['AUTOTHROTTLE_ENABLED'] else 'off'} (target concurrency "
                               f"{s['AUTOTHROTTLE_TARGET_CONCURRENCY']}), CONCURRENT_REQUESTS "
                               f"{s['CONCURRENT_REQUESTS']}, per domain {s['CONCURRENT_REQUESTS_PER_DOMAIN']}, "
                               f"GOVCRAWL_SITES_IN_FLIGHT {s['GOVCRAWL_SITES_IN_FLIGHT']}"),
        ("realistic wall", f"{r.run.wall:.1f} s; politeness lower bound {b.seconds:.1f} s = max(slowest host {b.host}: "
                           f"{b.host_requests} × ({s['DOWNLOAD_DELAY']} + {b.host_latency:.2f}) / "
                           f"{s['CONCURRENT_REQUESTS_PER_DOMAIN']} = {b.host_seconds:.1f} s, all: {b.requests} × "
                           f"{b.mean_latency:.2f} / {s['CONCURRENT_REQUESTS']} = {b.all_seconds:.1f} s); "
                           f"ratio {r.ratio:.2f}; {network.mean_in_flight(r.rows):.1f} requests in flight on "
                           f"average; crawl CPU {r.run.tree_cpu:.0f} s ({100 * r.run.tree_cpu / max(r.run.wall, 1e-9):.0f} % "
                           "of wall: near 100 % per core the machine, not politeness, bounds the crawl)"),
        ("requests by purpose", f"{r.columns} columns; {by_purpose}"),
        ("overload answers", f"{r.overload_answers} 429/503 given by fragile hosts (proxy log); the crawl received "
                             f"429 {statuses[429]}, 503 {statuses[503]}; backoffs "
                             f"{r.run.stats.get('govcrawl/backoff', 0):.0f}, retries "
                             f"{r.run.stats.get('retry/count', 0):.0f}"),
    ]
    per_column = r.per_column
    side = ", ".join(f"{p} {requests.get(p, 0) / max(r.columns, 1):.2f}" for p in ("letters", "guide", "link_check"))
    targets = [
        measure.target("requests_per_column", per_column if per_column is not None else float("nan"), "{:.2f}",
                       f"<= {GOALS['requests_per_column']}; beside it per column: {side}",
                       per_column is not None and per_column <= GOALS["requests_per_column"]),
        measure.target("realistic_wall_vs_bound", r.ratio, "{:.2f}", f"<= {GOALS['realistic_wall_vs_bound']}",
                       r.ratio <= GOALS["realistic_wall_vs_bound"]),
        measure.target("overload_answers", r.overload_answers, "{:.0f}", "= 0", r.overload_answers == 0),
    ]
    return rows, targets
