"""scrapy-redis's Scheduler and dupefilter, scoped to one run, with the leased per-group queues of queue.py."""
from __future__ import annotations

import logging

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from govcrawl.crawlrun import crawl_run
from govcrawl.distributed.connection import Unavailable, connect, wait_for
from govcrawl.distributed.keys import RunKeys
from govcrawl.distributed.queue import LeasedQueue
from govcrawl.distributed.worker import Worker

logger = logging.getLogger(__name__)


class RunDupeFilter(RFPDupeFilter):
    """Fingerprints under `govcrawl:{run}:dupefilter`: next quarter's run starts with an empty filter.

    govcrawl's requests are all dont_filter (the spider dedupes per site), so this only guards other requests.
    """

    @classmethod
    def for_worker(cls, worker: Worker, debug: bool = False):
        df = cls(worker.server, key=worker.keys.dupefilter, debug=debug)
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
    """scrapy-redis's Scheduler; the worker (leases, heartbeat, acknowledgements) is opened with it and registered
    on the crawl's run, where the spider and the queue find it."""

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
        """scrapy-redis's open, with the queue and the dupefilter given the worker instead of finding it on the spider."""
        self.spider = spider
        run = crawl_run(self.crawler)
        self.worker = run.worker = Worker(self.crawler, run, self.server)
        # the key is scrapy-redis's single queue, unused: each request goes to its lease's queue
        self.queue = LeasedQueue(self.server, spider, RunKeys(run.run_id).prefix + "q", self.serializer,
                                 worker=self.worker)
        self.df = RunDupeFilter.for_worker(self.worker, self.crawler.settings.getbool("DUPEFILTER_DEBUG"))
        if len(self.queue):
            logger.info("resuming crawl (%d requests scheduled)", len(self.queue))

    def close(self, reason):
        self.worker.close(reason)
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
