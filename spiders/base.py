"""What every govcrawl spider shares: the monitoring point, the run id and record, replaying fixtures through a
proxy the spider starts itself, and decoding pages whatever charset they claim."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import scrapy

from govcrawl.dates import DateParser
from govcrawl.encoding import decode_html
from govcrawl.extract.page import Page

logger = logging.getLogger(__name__)
SHANGHAI = ZoneInfo("Asia/Shanghai")
# error statuses reach the callbacks (they are facts); 3xx still go through RedirectMiddleware
ERROR_STATUSES = list(range(400, 600))


def parse_as_of(value: str | None) -> date:
    """`-a as_of=YYYY-MM-DD`; default today in Asia/Shanghai."""
    if not value:
        return datetime.now(SHANGHAI).date()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"-a as_of={value!r}: expected YYYY-MM-DD") from None


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

    def __init__(self, as_of=None, run=None, replay=None, proxy=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = parse_as_of(as_of)
        self.run_id = run or f"{datetime.now(SHANGHAI):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.replay_dir = replay
        self.proxy = proxy
        self.replay_server = None
        self.dates = DateParser(self.as_of)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
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
            self.proxy = self.replay_server.url
            logger.info("replaying %s through %s (https CA %s)", self.replay_dir, self.proxy,
                        self.replay_server.ca_path)

    def stop_replay(self, spider=None) -> None:
        if self.replay_server is not None:
            self.replay_server.stop()
            self.replay_server = None

    def page(self, response) -> Page:
        if "playwright" in response.flags:  # scrapy-playwright encoded the DOM text itself; its encoding is exact
            return Page(response.url, response.text)
        text, _ = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        return Page(response.url, text)
