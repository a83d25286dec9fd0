"""The leased request queue: per-lease routing, Scrapy's priority order, and no loss while Redis is down."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request

from govcrawl.distributed.connection import Guard, connect
from govcrawl.distributed.queue import LeasedQueue
from govcrawl.distributed.redisproc import RedisProcess, free_port
from govcrawl.visit import VISIT, Visit


class StubWorker:
    def __init__(self, routes):
        self.routes = dict(routes)
        self.abandoned_sites: set[str] = set()
        self.queue_guard = Guard(base=60)
        self.counts: dict[str, int] = {}

    def active_queues(self):
        return sorted(set(self.routes.values()))

    def count(self, name, n=1):
        self.counts[name] = self.counts.get(name, 0) + n


def make_queue(server, routes):
    return LeasedQueue(server, SimpleNamespace(name="provincial"), "unused", worker=StubWorker(routes))


def req(url, site, priority=0):
    return Request(url, meta={VISIT: Visit(site, "homepage")}, priority=priority, dont_filter=True)


@pytest.fixture(scope="module")
def server():
    with RedisProcess() as proc:
        yield connect(proc.url, retries=0)


def test_requests_go_to_their_lease_queue_and_pop_in_priority_order(server):
    queue = make_queue(server, {"1": "govcrawl:t:q:a:1", "2": "govcrawl:t:q:b:2"})
    queue.push(req("http://a/list", "1", priority=-1))
    queue.push(req("http://a/", "1", priority=0))
    queue.push(req("http://b/", "2"))
    assert server.zcard("govcrawl:t:q:a:1") == 2 and server.zcard("govcrawl:t:q:b:2") == 1
    assert len(queue) == 3
    urls = [queue.pop().url for _ in range(3)]
    assert urls.index("http://a/") < urls.index("http://a/list") and "http://b/" in urls
    assert queue.pop() is None


def test_requests_of_a_lost_lease_are_dropped_and_counted(server):
    queue = make_queue(server, {})
    queue.worker.abandoned_sites.add("9")
    queue.push(req("http://gone/", "9"))
    assert queue.worker.counts == {"requests_dropped_lost_lease": 1} and len(queue) == 0


def test_while_redis_is_down_requests_wait_locally_and_are_still_crawled():
    down = connect(f"redis://127.0.0.1:{free_port()}/0", retries=0, connect_timeout=0.2)
    queue = make_queue(down, {"1": "govcrawl:t:q:a:1"})
    queue.push(req("http://a/", "1"))
    queue.push(req("http://a/2", "1", priority=-1))
    assert queue.worker.counts["requests_buffered_locally"] == 2
    assert queue.worker.queue_guard.down
    assert len(queue) >= 2   # Redis's share unknown: never reported as empty
    assert [queue.pop().url, queue.pop().url] == ["http://a/", "http://a/2"]
    assert queue.pop() is None
