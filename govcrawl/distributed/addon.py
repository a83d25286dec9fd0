"""Scrapy add-on: with REDIS_URL set, the crawl becomes a distributed worker; without it nothing changes."""
from __future__ import annotations


class DistributedRun:
    def update_settings(self, settings) -> None:
        if not settings.get("REDIS_URL"):
            return
        settings.set("SCHEDULER", "govcrawl.distributed.scheduler.LeasedScheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "govcrawl.distributed.scheduler.RunDupeFilter", priority="addon")
        settings.set("SCHEDULER_QUEUE_CLASS", "govcrawl.distributed.queue.LeasedQueue", priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
