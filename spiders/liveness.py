"""A site always finishes (issue 14 point 2).

Every request of a site is counted until its callback or errback has run (spiders/tracking.py). Scrapy can lose a
request without either running: a spider middleware drops it (URL longer than URLLENGTH_LIMIT, DEPTH_LIMIT, any
filter), the scheduler drops it (duplicate filter), an exception escapes a callback. Each of those is caught here
and the request is accounted for as lost, with the reason, so its site still finishes. What is left (a download
that never returns, a browser page that hangs) is caught by the per-site watchdog: a site with requests open and
no request finished for GOVCRAWL_SITE_TIMEOUT seconds is finalised as `incomplete`, with the reason and the
requests still open. When every site is judged, requests still hanging cannot hold the crawl open.
"""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from time import monotonic

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request

from govcrawl.visit import HomepageHop, visit_of, visit_or_none
from spiders.linkcheck import found_on

logger = logging.getLogger(__name__)


def not_fetched(failure) -> bool:
    """A request govcrawl chose not to fetch (robots.txt, an offsite filter, a download abandoned for a finalised
    site): lost, not a failure of the site. A redirect loop (also an IgnoreRequest) is the site's own failure."""
    from scrapy.exceptions import IgnoreRequest

    from spiders.downloader import DownloadAbandoned

    if failure.check(DownloadAbandoned):
        return True
    message = str(failure.value).lower()
    return bool(failure.check(IgnoreRequest)) and ("robots.txt" in message or "offsite" in message)


def _counted(request) -> bool:
    visit = visit_or_none(request) if isinstance(request, Request) else None
    return visit is not None and visit.request_id is not None


class _Transit:
    """Requests the spider yielded that have not yet come out of the spider middlewares, per output stream."""

    streams: dict = defaultdict(list)


class SpiderOutputSent:
    """Innermost spider middleware (next to the spider): notes every counted request the spider yields."""

    def process_spider_output(self, response, result, spider=None):
        stream = _Transit.streams[id(response)]
        for item in result:
            if _counted(item):
                stream.append(item)
            yield item

    async def process_spider_output_async(self, response, result, spider=None):
        stream = _Transit.streams[id(response)]
        async for item in result:
            if _counted(item):
                stream.append(item)
            yield item

    async def process_start(self, start):
        stream = _Transit.streams["start"]
        async for item in start:
            if _counted(item):
                stream.append(item)
            yield item


class WithCrawler:
    """A Scrapy component built from the crawler."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class SpiderOutputArrived(WithCrawler):
    """Outermost spider middleware (next to the engine): a request the spider yielded that never arrives here was
    dropped by a middleware in between; its site is told."""

    def process_spider_output(self, response, result, spider=None):
        stream = _Transit.streams[id(response)]
        try:
            for item in result:
                self._arrived(stream, item)
                yield item
        finally:
            self._end(id(response))

    async def process_spider_output_async(self, response, result, spider=None):
        async for item in self._check(id(response), result):
            yield item

    async def process_start(self, start):
        async for item in self._check("start", start):
            yield item

    async def _check(self, key, result):
        stream = _Transit.streams[key]
        try:
            async for item in result:
                self._arrived(stream, item)
                yield item
        finally:
            self._end(key)

    def _arrived(self, stream, item) -> None:
        if _counted(item):
            while stream and stream[0] is not item:   # yielded before this one and never arrived: dropped
                self._lost(stream.pop(0))
            if stream:
                stream.pop(0)

    def _end(self, key) -> None:
        for request in _Transit.streams.pop(key, []):
            self._lost(request)

    def _lost(self, request) -> None:
        limit = self.crawler.settings.getint("URLLENGTH_LIMIT")
        if limit and len(request.url) > limit:
            reason = f"URL longer than {limit} characters (URLLENGTH_LIMIT): dropped"
        else:
            reason = "dropped by a spider middleware"
        lost = getattr(self.crawler.spider, "request_lost", None)
        if lost is not None:
            lost(request, reason)


class SiteLiveness:
    """Extension: the scheduler's drops, exceptions that escape callbacks, and the per-site watchdog."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.timeout = crawler.settings.getfloat("GOVCRAWL_SITE_TIMEOUT", 1800.0)
        self.task: asyncio.Task | None = None
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _spider_call(self, name, *args):
        method = getattr(self.crawler.spider, name, None)
        return method(*args) if method is not None else None

    def request_dropped(self, request, spider=None):
        if _counted(request):
            self._spider_call("request_lost", request, "dropped by the scheduler (duplicate filter)")

    def spider_error(self, failure, response, spider=None):
        request = getattr(response, "request", None)
        if _counted(request):
            self._spider_call("request_lost", request, f"callback failed: {type(failure.value).__name__}: "
                                                       f"{failure.value}"[:300])

    def spider_idle(self, spider=None):
        if self._spider_call("emitting"):
            raise DontCloseSpider

    def spider_opened(self, spider=None):
        if self.timeout > 0:
            self.task = asyncio.ensure_future(self.watch())

    def spider_closed(self, spider=None, reason=None):
        if self.task is not None:
            self.task.cancel()

    async def watch(self) -> None:
        interval = max(0.5, min(30.0, self.timeout / 5))
        while True:
            await asyncio.sleep(interval)
            try:
                stalled = self._spider_call("finalise_stalled", monotonic() - self.timeout, self.timeout) or set()
                every = self._spider_call("all_sites_done")
                if stalled or every:
                    self.abandon(lambda r: every or getattr(visit_or_none(r), "site_code", None) in stalled,
                                 "every site is judged" if every else "its site was finalised (GOVCRAWL_SITE_TIMEOUT)")
            except Exception:  # noqa: BLE001 — the watchdog must outlive any one failure
                logger.exception("site watchdog failed")

    def abandon(self, select, reason: str) -> None:
        """Downloads still hanging for finalised sites are given up, so they cannot hold the crawl open."""
        abandon = getattr(self.crawler.engine.downloader, "abandon", None)
        count = abandon(select, reason) if abandon is not None else 0
        if count:
            logger.info("abandoned %d download(s): %s", count, reason)
            self.crawler.stats.inc_value("govcrawl/downloads_abandoned", count)


class LivenessMixin:
    """The provincial spider's side: record a lost request, finalise stalled sites, emit items outside callbacks."""

    _emitting = 0
    start_finished = False

    def request_lost(self, request, reason: str) -> None:
        visit = visit_of(request)
        state = self.states.get(visit.site_code)
        if state is None or state.done or not state.release(visit.request_id):
            return
        self.crawler.stats.inc_value("govcrawl/requests_lost")
        logger.warning("request lost, site %s: %s (%s)", state.site.site_code, request.url[:200], reason)
        items = list(self.record_lost(state, request, reason))
        if state.pending <= 0:
            state.done = True
            items.extend(self.finish_site(state))
        self.emit(items)

    def record_lost(self, state, request, reason):
        visit = visit_of(request)
        if visit.role == "homepage":
            yield self.fetch_item(state, request, visit.part(HomepageHop).attempt, None, reason, None)
            state.errors.append(f"homepage {request.url[:200]}: {reason}")
            return
        yield self.link_item(state, request.url, "lost", from_url=found_on(visit), status=None, reason=reason)

    def finalise_stalled(self, since: float, timeout: float) -> set[str]:
        """Sites with requests open and none finished since `since`: incomplete, with the requests still open."""
        stalled = set()
        for state in list(self.states.values()):
            if state.done or state.pending <= 0 or state.last_progress > since:
                continue
            still = sorted(state.open.values())
            state.stalled = (f"no request finished for {timeout:g} s (GOVCRAWL_SITE_TIMEOUT); {len(still)} still open: "
                             + "; ".join(u[:150] for u in still[:10]))
            logger.warning("site %s stalled: %s", state.site.site_code, state.stalled)
            self.crawler.stats.inc_value("govcrawl/sites_stalled")
            state.done = True
            state.open.clear()
            state.pending = 0
            stalled.add(state.site.site_code)
            self.emit(list(self.finish_site(state)))
        return stalled

    def all_sites_done(self) -> bool:
        return (self.start_finished and self.crawl_run.worker is None and not self._emitting
                and all(state.done for state in self.states.values()))

    def emitting(self) -> bool:
        return self._emitting > 0

    def emit(self, items: list) -> None:
        """Items made outside a callback go through the item pipelines in order."""
        if not items:
            return
        self._emitting += 1

        async def run():
            try:
                for item in items:
                    await self.crawler.engine.scraper.start_itemproc_async(item, response=None)
            finally:
                self._emitting -= 1

        asyncio.ensure_future(run())
