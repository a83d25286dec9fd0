"""Garbage-collector tuning for a long crawl, a Scrapy extension (registered in settings.EXTENSIONS).

A crawl allocates millions of short-lived objects. With CPython's default gen0 threshold (700) a full collection
runs every ~70,000 net allocations and walks every live object, the imported modules included: profiled, that was
a quarter of a province's crawl time (bench/results.md). When the engine starts, what exists then (modules, settings,
the registry) is frozen out of collection, and collections run less often. Both are undone when the engine stops.
"""
from __future__ import annotations

import gc

from scrapy import signals
from scrapy.exceptions import NotConfigured


class GcTuning:
    def __init__(self, threshold: int):
        self.threshold = threshold
        self.saved: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        threshold = crawler.settings.getint("GOVCRAWL_GC_THRESHOLD")
        if threshold <= 0:
            raise NotConfigured("GOVCRAWL_GC_THRESHOLD is 0: Python's own collector settings")
        ext = cls(threshold)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        self.saved = gc.get_threshold()
        gc.collect()      # garbage is collected, not frozen
        gc.freeze()
        gc.set_threshold(self.threshold, *self.saved[1:])

    def engine_stopped(self) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            gc.unfreeze()
            self.saved = None
