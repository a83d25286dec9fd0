"""scrapy-redis's Scheduler and dupefilter, scoped to one run, with the leased per-group queues of queue.py."""
from __future__ import annotations

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from govcrawl.distributed.connection import Unavailable, connect, wait_for
from govcrawl.distributed.keys import RunKeys


class RunDupeFilter(RFPDupeFilter):
    """Fingerprints under `govcrawl:{run}:dupefilter`: next quarter's run starts with an empty filter.

    govcrawl's requests are all dont_filter (the spider dedupes per site), so this only guards other requests.
    """

    @classmethod
    def from_spider(cls, spider):
        worker = spider.distributed
        df = cls(worker.server, key=RunKeys(spider.run_id).dupefilter, debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        df.guard = worker.queue_guard
        return df

    def request_seen(self, request):
        try:
            return self.guard.call(super().request_seen, request)
        except Unavailable:
            return False   # unsure: fetch it again rather than lose it

    def close(self, reason=""):
        """Keep the fingerprints: other workers share them; they expire with the run."""


class LeasedScheduler(Scheduler):
    """scrapy-redis's Scheduler; the worker (leases, heartbeat, acknowledgements) is opened with it."""

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        server = connect(s["REDIS_URL"], retries=0, connect_timeout=2.0)
        wait_for(server.ping, "scheduler start")
        scheduler = cls(server=server, persist=True, queue_cls="govcrawl.distributed.queue.LeasedQueue",
                        dupefilter_cls="govcrawl.distributed.scheduler.RunDupeFilter")
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider):
        from govcrawl.distributed.worker import Worker

        spider.distributed = Worker(self.crawler, spider, self.server)
        super().open(spider)

    def close(self, reason):
        self.spider.distributed.close(reason)
        super().close(reason)

    # scrapy-redis's own two, without the spider argument Scrapy 2.19's stats deprecate
    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
