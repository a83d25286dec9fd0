"""Downloader middlewares: per-host back-off when a site pushes back."""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import StopDownload

from govcrawl.purposes import STAT_PREFIX, purpose_of
from govcrawl.visit import visit_or_none

logger = logging.getLogger(__name__)

_PUSHBACK = {403, 429, 503}


class BackoffMiddleware:
    """On 403, 429 or 503 double the host's download delay (up to GOVCRAWL_BACKOFF_MAX_DELAY); ease off on success.

    RetryMiddleware then retries the request, now spaced out by the larger delay.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_delay = crawler.settings.getfloat("GOVCRAWL_BACKOFF_MAX_DELAY", 60.0)
        self.base_delay = crawler.settings.getfloat("DOWNLOAD_DELAY", 0.0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _slot(self, request):
        downloader = self.crawler.engine.downloader
        return downloader.slots.get(downloader.get_slot_key(request))

    def process_response(self, request, response, spider=None):
        slot = self._slot(request)
        if slot is None:
            return response
        if response.status in _PUSHBACK:
            new_delay = min(max(slot.delay * 2, 1.0), self.max_delay)
            if new_delay != slot.delay:
                logger.info("backing off %s: HTTP %s, delay %.1fs", request.url, response.status, new_delay)
                self.crawler.stats.inc_value("govcrawl/backoff")
            slot.delay = new_delay
        elif slot.delay > self.base_delay and 200 <= response.status < 400:
            slot.delay = max(self.base_delay, slot.delay / 2)
        return response


class PageSizeCap:
    """Stop reading a response past GOVCRAWL_MAX_PAGE_BYTES and keep what arrived: the page is parsed as far as it
    goes and recorded as truncated (response flag "download_stopped"), instead of failing as DOWNLOAD_MAXSIZE would."""

    def __init__(self, crawler):
        self.limit = crawler.settings.getint("GOVCRAWL_MAX_PAGE_BYTES")
        self.stats = crawler.stats
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def bytes_received(self, data, request, spider=None):
        if not self.limit:
            return
        received = request.meta.get("_govcrawl_bytes", 0) + len(data)
        request.meta["_govcrawl_bytes"] = received
        if received > self.limit:
            self.stats.inc_value("govcrawl/truncated")
            raise StopDownload(fail=False)


class RequestCounter:
    """Every request sent counts once under govcrawl/requests/<purpose> (govcrawl/purposes.py): retries, redirect
    hops and challenge re-sends too, since each is load on the site. Runs after the address policy, so a refused
    request is not counted. Third-party files fetched for the browser are counted with the page's other
    subresources (govcrawl/subresources.py)."""

    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        visit = visit_or_none(request)
        if visit is None or visit.role != "subresource":
            self.stats.inc_value(STAT_PREFIX + purpose_of(request.meta))


class FirstBytesOnly:
    """A request with meta first_bytes_only (a link check by GET) stops at the first bytes of its body: its status is
    all that is wanted, and the first bytes still let a WAF challenge page be told from an error (spiders/challenges.py
    reads the body). The response reaches its callback (flag "download_stopped")."""

    def __init__(self, crawler):
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def bytes_received(self, data, request, spider=None):
        if request.meta.get("first_bytes_only"):
            raise StopDownload(fail=False)
