"""A Downloader that enforces CONCURRENT_REQUESTS_PER_DOMAIN also when DOWNLOAD_DELAY is 0, and whose downloads can be
abandoned (a site the watchdog finalised must not hold the crawl open with a download that never returns).

Scrapy 2.19 on the asyncio reactor starts each download in a task, and the request counts as transferring only
once that task first runs. With no download delay, `_process_queue` meanwhile still sees every transfer slot free
and starts all queued requests of a host at once (measured at the replay proxy: 15 in flight to one host with a
limit of 1). Marking the request transferring before its task is scheduled keeps the limit. Same logic otherwise.
"""
from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader
from scrapy.exceptions import IgnoreRequest
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class SlotSafeDownloader(Downloader):
    def _process_queue(self, slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)   # before the task runs: this is the fix
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break


class DownloadAbandoned(IgnoreRequest):
    """The download was given up (its site was finalised without it); the request's errback runs."""


class AbandonableDownloader(SlotSafeDownloader):
    """`abandon(select, reason)` fails every download in progress that `select(request)` picks: the engine and the
    request's errback go on at once, whatever the download itself is stuck in (a middleware, a browser page)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.waiting: dict = {}

    def fetch(self, request, spider=None):
        inner = super().fetch(request)
        outer = Deferred()

        def done(result):
            self.waiting.pop(request, None)   # also after abandon(): then `result` is ignored
            if not outer.called:
                outer.errback(result) if isinstance(result, Failure) else outer.callback(result)
            return None

        self.waiting[request] = (outer, inner)
        inner.addBoth(done)
        return outer

    def abandon(self, select, reason: str) -> int:
        chosen = [r for r in self.waiting if select(r)]
        for request in chosen:
            outer, inner = self.waiting.pop(request)
            self.active.discard(request)   # the engine waits for an empty `active` before it closes
            if not outer.called:
                outer.errback(Failure(DownloadAbandoned(reason)))
            inner.cancel()                 # frees what the download holds (a browser page slot), where it can
        return len(chosen)
