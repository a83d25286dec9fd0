"""The worker side of a distributed run: lease host groups, crawl them, acknowledge each site, stop when all is done.

`ProvincialSpider.start()` hands over to `Worker.requests()` when REDIS_URL is set; the worker starts each leased
site through the run's `start_site` (govcrawl/crawlrun.py), never through the spider itself. That loop keeps up to
GOVCRAWL_LEASED_GROUPS leases, renews them every GOVCRAWL_LEASE_HEARTBEAT seconds, reclaims expired leases of
dead workers and sends acknowledgements. A site is acknowledged on its `site_done` item once every pipeline has
stored and judged it (item_scraped), after the worker's database records which lease produced that copy.
Redis calls of the loop run in a thread, so an unreachable Redis never stalls the crawl; they back off and retry.
"""
from __future__ import annotations

import asyncio
import csv
import json
import logging
import os
import socket
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from scrapy import signals

from govcrawl.crawlrun import CrawlRun
from govcrawl.distributed.connection import Guard, Unavailable, connect, wait_for
from govcrawl.distributed.keys import RunKeys
from govcrawl.distributed.leases import Lease, LeaseStore
from govcrawl.distributed.localdb import LocalDB
from govcrawl.distributed.seeding import read_meta
from govcrawl.registry import Site
from govcrawl.runstate import utc_now

logger = logging.getLogger(__name__)


def worker_spider_args(settings, kwargs: dict) -> dict:
    """Spider arguments of a worker: the run's as_of, and its registry rows (from Redis) as a local CSV."""
    run = kwargs.get("run")
    if not run:
        raise ValueError("REDIS_URL is set: pass -a run=RUN_ID (the run `govcrawl enqueue` seeded)")
    server = connect(settings["REDIS_URL"])
    meta = wait_for(lambda: read_meta(server, run), "reading the run")
    if meta is None:
        raise ValueError(f"run {run!r} is not in Redis at {settings['REDIS_URL']}: seed it with `govcrawl enqueue`")
    if kwargs.get("as_of") and kwargs["as_of"] != meta["as_of"]:
        raise ValueError(f"-a as_of={kwargs['as_of']} differs from the run's as_of {meta['as_of']}")
    groups = wait_for(lambda: server.hgetall(RunKeys(run).groups), "reading the run")
    records = [r for _, v in sorted(groups.items()) for r in json.loads(v)]
    folder = Path(tempfile.gettempdir()) / "govcrawl-runs" / run   # one copy per run, rewritten at each start
    folder.mkdir(parents=True, exist_ok=True)
    registry = folder / (meta.get("registry_name") or "registry.csv")
    write_registry(registry, records)
    return {**kwargs, "registry": str(registry), "as_of": meta["as_of"]}


def write_registry(path: Path, records: list[dict]) -> None:
    """Write the CSV beside `path`, then rename it into place: workers on one host share the file, and one
    starting must never read it while another is rewriting it."""
    yes_no = {True: "yes", False: "no", None: ""}
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with open(fd, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["site_code", "name", "unit", "url", "kind", "services", "render", "categories"])
            for r in sorted(records, key=lambda r: r.get("line", 0)):
                out.writerow([r["site_code"], r["name"], r["unit"], r["url"], r.get("kind", ""),
                              yes_no[r.get("services")], yes_no[bool(r.get("render"))], r.get("categories") or ""])
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


@dataclass
class Held:
    token: str
    queue: str
    sites: set[str] = field(default_factory=set)


class Worker:
    def __init__(self, crawler, run: CrawlRun, queue_server):
        s = crawler.settings
        self.crawler, self.run = crawler, run
        self.keys = RunKeys(run.run_id)
        self.server = queue_server                      # the reactor's client: never retries, never waits long
        self.control = connect(s["REDIS_URL"])          # the loop's client (in a thread): retries with back-off
        self.store = LeaseStore(self.control, self.keys)
        self.queue_guard, self.guard = Guard(), Guard()
        self.ttl = s.getfloat("GOVCRAWL_LEASE_TTL", 60.0)
        self.heartbeat = s.getfloat("GOVCRAWL_LEASE_HEARTBEAT", 15.0)
        self.reclaim_every = s.getfloat("GOVCRAWL_RECLAIM_INTERVAL", 10.0)
        self.max_groups = s.getint("GOVCRAWL_LEASED_GROUPS", 8)
        self.poll = s.getfloat("GOVCRAWL_WORKER_POLL", 0.5)
        self.done_ttl = s.getint("GOVCRAWL_REDIS_DONE_TTL", 7 * 24 * 3600)
        self.db_path = str(Path(s.get("GOVCRAWL_DB", "govcrawl.db")).resolve())
        self.local = LocalDB(self.db_path)
        self.id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.held: dict[str, Held] = {}
        self.routes: dict[str, str] = {}                # site_code -> its lease's queue key
        self.site_group: dict[str, str] = {}
        self.abandoned_sites: set[str] = set()
        self.lost: dict[str, float] = {}                # group -> when its lease was lost
        self.acks: list[tuple[str, str, str, dict]] = []
        self.complete = False
        crawler.signals.connect(self.site_stored, signal=signals.item_scraped)
        crawler.signals.connect(self.site_stored, signal=signals.item_error)
        logger.info("worker %s on run %s (db %s)", self.id, self.keys.run, self.db_path)

    # -- used by the queue ----------------------------------------------------------------------------
    def active_queues(self) -> list[str]:
        return [h.queue for h in self.held.values()]

    def count(self, name: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"govcrawl/distributed/{name}", n)

    # -- the loop -------------------------------------------------------------------------------------
    async def call(self, fn, *args, **kwargs):
        """One Redis step of the loop, in a thread; Unavailable while Redis is down (the guard spaces the tries)."""
        return await asyncio.to_thread(self.guard.call, fn, *args, **kwargs)

    async def requests(self):
        """Spider.start() of a worker: seed requests of every group leased, until the run is complete."""
        beat = reclaimed = 0.0
        while True:
            try:
                await self.send_acks()
                now = time.monotonic()
                if now - beat >= self.heartbeat:
                    await self.renew()
                    beat = now
                if now - reclaimed >= self.reclaim_every:
                    back = await self.call(self.store.reclaim)
                    if back:
                        logger.warning("reclaimed expired leases of %s", ", ".join(back))
                        self.count("reclaimed", len(back))
                    reclaimed = now
                leases = []
                if len(self.held) < self.max_groups:
                    exclude = {g for g, t in self.lost.items() if now - t < 2 * self.ttl}
                    leases = await self.call(self.store.lease, self.id, self.max_groups - len(self.held),
                                             self.ttl, exclude)
                for lease in leases:
                    for request in await self.begin(lease):
                        yield request
                if not self.held and not leases and not self.acks:
                    if await self.call(self.store.finish, utc_now()):
                        await self.call(self.expire_run)
                        self.complete = True
                        logger.info("run %s is complete", self.keys.run)
                        return
            except Unavailable:
                pass    # logged by the guard; the crawl of leased groups goes on meanwhile
            await asyncio.sleep(self.poll)

    async def begin(self, lease: Lease) -> list:
        """Start a leased group from its seeds: sites already acknowledged (by an earlier holder) are skipped."""
        codes = [r["site_code"] for r in lease.sites]
        done = await self.call(self.control.hmget, self.keys.done, codes)
        todo = [r for r, d in zip(lease.sites, done) if d is None]
        self.count("groups_leased")
        held = self.held[lease.group] = Held(lease.token, self.keys.queue(lease.group, lease.token))
        logger.info("leased %s (%d sites, %d to crawl) as %s", lease.group, len(codes), len(todo), lease.token)
        if not todo:
            self.acks.append((lease.group, lease.token, "", {}))
            return []
        self.local.forget_sites(self.run.run_id, [r["site_code"] for r in todo])
        requests = []
        for record in todo:
            site = Site(**record)
            code = site.site_code
            held.sites.add(code)
            self.routes[code], self.site_group[code] = held.queue, lease.group
            self.abandoned_sites.discard(code)
            request = self.run.start_site(site)
            if request is not None:
                requests.append(request)
            else:  # the registry reader admits http(s) URLs only; a site without one is done at once
                logger.error("site %s has no fetchable URL %r", code, site.url)
        return requests

    async def renew(self) -> None:
        mine = {g: h.token for g, h in self.held.items()}
        still = await self.call(self.store.renew, mine, self.ttl)
        for group in set(mine) - still:
            self.abandon(group)
        record = {"host": socket.gethostname(), "pid": os.getpid(), "db": self.db_path,
                  "groups": sorted(self.held), "seen": utc_now()}
        await self.call(self.control.hset, self.keys.workers, self.id, json.dumps(record))

    def abandon(self, group: str) -> None:
        """The lease expired before we renewed it (a long stall or outage): another worker crawls the group."""
        held = self.held.pop(group, None)
        if held is None:
            return
        logger.warning("lost the lease on %s; dropping its remaining requests", group)
        self.count("leases_lost")
        self.lost[group] = time.monotonic()
        for code in held.sites:
            self.routes.pop(code, None)
            self.abandoned_sites.add(code)

    # -- acknowledgement ------------------------------------------------------------------------------
    def site_stored(self, item, spider=None, response=None, failure=None, **kwargs):
        """item_scraped / item_error: a site_done item has been through every pipeline, the site is stored."""
        if not isinstance(item, dict) or item.get("type") != "site_done":
            return
        code = item["site_code"]
        group = self.site_group.get(code)
        held = self.held.get(group) if group else None
        if held is None or code not in held.sites or self.routes.get(code) != held.queue:
            return   # a site of a lost lease: its copy is never acknowledged
        if failure is not None:
            logger.error("site %s failed in a pipeline; acknowledging the stored part", code)
        row = self.local.record_ack(self.run.run_id, code, held.token, self.id)
        self.routes.pop(code, None)
        self.acks.append((group, held.token, code, {"lease": held.token, "worker": self.id, "db": self.db_path,
                                                    "acked_at": row["acked_at"]}))

    async def send_acks(self) -> None:
        while self.acks:
            group, token, code, record = self.acks[0]
            result = await self.call(self.store.ack, group, token, code, record)
            self.acks.pop(0)
            if result < 0:
                logger.warning("acknowledgement of %s refused: the lease on %s was lost", code or group, group)
                self.abandon(group)
                continue
            if code:
                self.count("sites_acked")
            held = self.held.get(group)
            if held is not None and held.token == token:
                held.sites.discard(code)
                if result == 1:
                    del self.held[group]
                    logger.info("group %s complete", group)

    # -- the end --------------------------------------------------------------------------------------
    def expire_run(self) -> int:
        return self.store.expire_run(self.done_ttl)

    def close(self, reason: str) -> None:
        """Spider closing: give back leases not finished (a stop or crash recovery), expire the keys of a done run."""
        try:
            while self.acks:   # sites stored since the loop's last round still count
                group, token, code, record = self.acks.pop(0)
                if self.guard.call(self.store.ack, group, token, code, record) == 1:
                    self.held.pop(group, None)
            for group, held in list(self.held.items()):
                if self.guard.call(self.store.release, group, held.token):
                    logger.warning("released the unfinished group %s", group)
            if self.complete or self.guard.call(self.store.finish, utc_now()):
                self.guard.call(self.expire_run)
        except Unavailable:
            logger.warning("Redis unreachable at close: unfinished leases of %s come back when they expire", self.id)
        self.local.close()
