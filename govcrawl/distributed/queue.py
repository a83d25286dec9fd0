"""A scrapy-redis queue that routes each request to the Redis queue of its site's lease.

Requests of a site stay with the worker that leased its host group: they go to `govcrawl:{run}:q:{group}:{token}`,
a priority zset only the lease holder pushes and pops. While Redis is unreachable requests wait in a local buffer
and are popped from there, so an outage slows nothing down and loses nothing.
"""
from __future__ import annotations

import heapq
import itertools
import logging

from scrapy_redis.queue import Base

from govcrawl.distributed.connection import Unavailable
from govcrawl.visit import visit_or_none

logger = logging.getLogger(__name__)

# pop the best request of the first non-empty queue, in one round trip
POP_FIRST = """
for _, key in ipairs(KEYS) do
  local found = redis.call('ZPOPMIN', key)
  if found[1] then return {key, found[1]} end
end
return false
"""
COUNT = """
local n = 0
for _, key in ipairs(KEYS) do n = n + redis.call('ZCARD', key) end
return n
"""
PRIORITY_SCALE = 1e12  # score = -priority * scale + sequence: Scrapy's priority order, FIFO within a priority


class LeasedQueue(Base):
    def __init__(self, server, spider, key, serializer=None, worker=None):
        super().__init__(server, spider, key, serializer)
        if worker is None:
            raise ValueError("LeasedQueue routes by the run's leases: it needs the worker (LeasedScheduler gives it)")
        self.worker = worker
        self.guard = self.worker.queue_guard
        self._pop = server.register_script(POP_FIRST)
        self._count = server.register_script(COUNT)
        self._seq = itertools.count()
        self._turn = 0
        self.local: dict[str, list[tuple[float, int, bytes]]] = {}   # queue key -> heap, while Redis is down
        self.unrouted: list[bytes] = []   # requests without a site (none today); kept, never dropped

    def _score(self, request) -> float:
        return -request.priority * PRIORITY_SCALE + next(self._seq)

    def push(self, request):
        visit = visit_or_none(request)
        site = visit.site_code if visit is not None else None
        route = self.worker.routes.get(site)
        data = self._encode_request(request)
        if route is None:
            if site in self.worker.abandoned_sites:
                self.worker.count("requests_dropped_lost_lease")
                return
            self.unrouted.append(data)
            return
        score = self._score(request)
        try:
            self.guard.call(self.server.zadd, route, {data: score})
        except Unavailable:
            heapq.heappush(self.local.setdefault(route, []), (score, next(self._seq), data))
            self.worker.count("requests_buffered_locally")

    def pop(self, timeout=0):
        if self.unrouted:
            return self._decode_request(self.unrouted.pop(0))
        active = self.worker.active_queues()
        for key in active:
            heap = self.local.get(key)
            if heap:
                return self._decode_request(heapq.heappop(heap)[2])
        for key in [k for k in self.local if k not in active]:
            del self.local[key]   # the lease ended: its buffered requests belong to no site any more
        if not active:
            return None
        self._turn = (self._turn + 1) % len(active)
        order = active[self._turn:] + active[:self._turn]   # round robin: every leased host keeps busy
        try:
            found = self.guard.call(self._pop, keys=order)
        except Unavailable:
            return None
        return self._decode_request(found[1]) if found else None

    def __len__(self):
        buffered = len(self.unrouted) + sum(len(h) for h in self.local.values())
        active = self.worker.active_queues()
        if not active:
            return buffered
        try:
            return buffered + int(self.guard.call(self._count, keys=active))
        except Unavailable:
            return buffered + 1   # unknown: assume work is waiting rather than let the spider close

    def clear(self):
        """Nothing to clear: per-lease queues are deleted when their lease ends, and the run's keys expire."""
