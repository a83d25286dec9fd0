"""What every govcrawl spider shares: the monitoring point, the run id and record, replaying fixtures through a
proxy the spider starts itself, and decoding pages whatever charset they claim."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import scrapy

from govcrawl.crawlrun import CrawlRun, register
from govcrawl.dates import DateParser
from govcrawl.encoding import decode_html
from govcrawl.extract.page import Page
from govcrawl.runstate import as_of_problem, truthy

logger = logging.getLogger(__name__)
SHANGHAI = ZoneInfo("Asia/Shanghai")
# error statuses reach the callbacks (they are facts); 3xx still go through RedirectMiddleware
ERROR_STATUSES = list(range(400, 600))


def parse_as_of(value: str | None) -> date:
    """`-a as_of=YYYY-MM-DD`; default today in Asia/Shanghai. Not in the future, not before 19号 (runstate.py)."""
    if not value:
        return datetime.now(SHANGHAI).date()
    try:
        as_of = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"-a as_of={value!r}: expected YYYY-MM-DD") from None
    problem = as_of_problem(as_of)
    if problem:
        raise ValueError(problem)
    return as_of


def describe_failure(failure) -> str:
    """A short reason for a failed download: the network error itself, not Twisted's wrapper reprs."""
    exc = failure.value
    reasons = getattr(exc.__cause__, "reasons", None) or getattr(exc, "reasons", None)
    inner = getattr(reasons[0], "value", None) if reasons else None
    if inner is not None:
        return f"{type(inner).__name__}: {inner}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


class InspectionSpider(scrapy.Spider):
    """Subclasses set `registry_path`, `registry_problems` and say how many units they inspect (`inspected`)."""

    def __init__(self, as_of=None, run=None, replay=None, proxy=None, *args, replace=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = parse_as_of(as_of)
        # what pipelines, middlewares and the distributed worker see of this crawl (govcrawl/crawlrun.py)
        self.crawl_run = CrawlRun(run_id=run or f"{datetime.now(SHANGHAI):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}",
                                  as_of=self.as_of, proxy=proxy,
                                  replace=truthy(replace))  # -a replace=1: an existing run is deleted, then crawled again
        self.crawl_run.describe = self.run_record
        self.replay_dir = replay
        self.replay_server = None
        self.dates = DateParser(self.as_of)

    # the run's id and proxy live in the shared CrawlRun, so every component sees the same ones
    @property
    def run_id(self) -> str:
        return self.crawl_run.run_id

    @run_id.setter
    def run_id(self, value: str) -> None:
        self.crawl_run.run_id = value

    @property
    def proxy(self) -> str | None:
        return self.crawl_run.proxy

    @staticmethod
    def registry_argument(spargs: dict) -> str | None:
        """The registry file the `-a` arguments name (subclasses: registry=, accounts=, or inside replay=)."""
        raise NotImplementedError

    @classmethod
    def check_arguments(cls, spargs: dict, settings=None) -> str | None:
        """What is wrong with `-a` arguments before a crawl starts (None when nothing), for `scrapy crawl`:
        the monitoring point, and a run id that exists for another registry, spider or as_of (unless replace=1)."""
        try:
            as_of = parse_as_of(spargs.get("as_of"))
        except ValueError as exc:
            return str(exc)
        db_path = settings.get("GOVCRAWL_DB") if settings is not None else None
        registry = cls.registry_argument(spargs)
        if (not spargs.get("run") or truthy(spargs.get("replace")) or registry is None or not db_path
                or not Path(db_path).is_file() or settings.get("REDIS_URL")):
            return None
        import sqlite_utils

        from govcrawl.runstate import reuse_problem

        return reuse_problem(sqlite_utils.Database(db_path), spargs["run"], cls.name, registry, as_of.isoformat())

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        if kwargs.get("replay") and not kwargs.get("proxy"):
            # the replay proxy is local: politeness delays would only slow the crawl down (a -s setting still wins)
            for name, value in (("DOWNLOAD_DELAY", 0), ("AUTOTHROTTLE_ENABLED", False)):
                crawler.settings.set(name, value, priority="spider")
        spider = super().from_crawler(crawler, *args, **kwargs)
        register(crawler, spider.crawl_run)
        # stopped once the downloader and the browser have closed their connections to it
        crawler.signals.connect(spider.stop_replay, signal=scrapy.signals.engine_stopped)
        return spider

    def inspected(self) -> int:
        raise NotImplementedError

    def run_record(self) -> dict:
        """The `runs` row of this crawl (StoragePipeline writes it)."""
        settings = {k: v for k, v in self.settings.items() if k.startswith("GOVCRAWL_")} if self.settings else {}
        return {
            "run_id": self.run_id, "spider": self.name, "as_of": self.as_of.isoformat(),
            "registry": str(self.registry_path), "sites": self.inspected(),
            "registry_problems": json.dumps([str(p) for p in self.registry_problems], ensure_ascii=False),
            "settings": json.dumps(settings, ensure_ascii=False, default=str),
        }

    def start_replay(self) -> None:
        """With `-a replay=DIR`: serve the fixtures on a free port and route every request through it."""
        if self.replay_dir and not self.proxy:
            from govcrawl.replay.proxy import ReplayServer

            self.replay_server = ReplayServer(self.replay_dir).start()
            self.crawl_run.proxy = self.replay_server.url
            self.crawl_run.replay_ca = str(self.replay_server.ca_path)
            logger.info("replaying %s through %s (https CA %s)", self.replay_dir, self.proxy,
                        self.replay_server.ca_path)

    def stop_replay(self, spider=None) -> None:
        if self.replay_server is not None:
            self.replay_server.stop()
            self.replay_server = None
            self.crawl_run.replay_ca = None

    def page(self, response) -> Page:
        if "playwright" in response.flags:  # scrapy-playwright encoded the DOM text itself; its encoding is exact
            return Page(response.url, response.text)
        text, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        return Page(response.url, text)
