"""A Downloader that enforces CONCURRENT_REQUESTS_PER_DOMAIN also when DOWNLOAD_DELAY is 0.

Scrapy 2.19 on the asyncio reactor starts each download in a task, and the request counts as transferring only
once that task first runs. With no download delay, `_process_queue` meanwhile still sees every transfer slot free
and starts all queued requests of a host at once (measured at the replay proxy: 15 in flight to one host with a
limit of 1). Marking the request transferring before its task is scheduled keeps the limit. Same logic otherwise.
"""
from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader
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
