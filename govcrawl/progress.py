"""The --progress display: sites done / total, pages, findings so far and the rate, on stderr, at most once a second.

A Scrapy extension enabled by `-s GOVCRAWL_PROGRESS=1` (registered in settings.EXTENSIONS). It only reads crawler
stats that the spider and the verdict pipeline keep (govcrawl/sites_done, govcrawl/findings/*,
response_received_count), so it works for any spider that keeps them (provincial, probe).
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Callable, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured

from govcrawl.crawlrun import find_run

FINDINGS_PREFIX = "govcrawl/findings/"


@dataclass
class Snapshot:
    sites_done: int
    sites_total: int | None
    pages: int
    findings: int
    sites_failed: int
    elapsed: float


def snapshot(stats: dict, sites_total: int | None, elapsed: float) -> Snapshot:
    return Snapshot(
        sites_done=int(stats.get("govcrawl/sites_done", 0)), sites_total=sites_total,
        pages=int(stats.get("response_received_count", 0)),
        findings=sum(int(v) for k, v in stats.items() if k.startswith(FINDINGS_PREFIX)),
        sites_failed=int(stats.get("govcrawl/sites_failed", 0)), elapsed=elapsed)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def format_progress(s: Snapshot) -> str:
    """'sites 12/40 (30%) | pages 830 | findings 9 (7 sites failing) | 41.5 pages/s, 36.0 sites/min | ETA 0:00:46'"""
    total = f"/{s.sites_total}" if s.sites_total else ""
    share = f" ({100 * s.sites_done // s.sites_total}%)" if s.sites_total else ""
    rate = s.pages / s.elapsed if s.elapsed > 0 else 0.0
    site_rate = s.sites_done * 60 / s.elapsed if s.elapsed > 0 else 0.0
    line = (f"sites {s.sites_done}{total}{share} | pages {s.pages} | findings {s.findings} "
            f"({s.sites_failed} sites failing) | {rate:.1f} pages/s, {site_rate:.1f} sites/min | {_duration(s.elapsed)}")
    if s.sites_total and 0 < s.sites_done < s.sites_total and site_rate > 0:
        line += f" | ETA {_duration((s.sites_total - s.sites_done) * 60 / site_rate)}"
    return line


class ProgressExtension:
    """Prints a progress line on every response / finished site, throttled to one line per `interval` seconds."""

    def __init__(self, stats, stream: TextIO | None = None, interval: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, crawler=None):
        self.stats = stats
        self.crawler = crawler   # its CrawlRun says how many sites there are
        self.stream = stream or sys.stderr
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.last_shown: float | None = None
        self.sites_total: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVCRAWL_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler.stats, interval=crawler.settings.getfloat("GOVCRAWL_PROGRESS_INTERVAL", 1.0), crawler=crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.tick, signal=signals.response_received)
        crawler.signals.connect(ext.tick, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None) -> None:
        self.started = self.clock()
        run = find_run(self.crawler)
        self.sites_total = run.sites_total if run is not None else None

    def line(self) -> str:
        return format_progress(snapshot(self.stats.get_stats(), self.sites_total, self.clock() - self.started))

    def show(self, final: bool = False) -> None:
        # \r rewrites the line in a terminal; a newline at the end, or when stderr is a log file
        end = "\n" if final or not self.stream.isatty() else ""
        self.stream.write(("\r" if self.stream.isatty() else "") + self.line() + end)
        self.stream.flush()

    def tick(self, *args, **kwargs) -> None:
        now = self.clock()
        if self.last_shown is None or now - self.last_shown >= self.interval:
            self.last_shown = now
            self.show()

    def spider_closed(self, spider=None, reason=None) -> None:
        self.show(final=True)
