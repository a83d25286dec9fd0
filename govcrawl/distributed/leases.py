"""Leases on host groups, each step one atomic Lua script on the Redis server's clock.

A group moves pending -> leased (owner, token, expiry) -> released once every site of it is acknowledged.
A lease that is not renewed before it expires is reclaimed: the group goes back to the front of pending and its
request queue is deleted, so the next holder crawls it from its seeds. An acknowledgement only counts while the
lease it names is still held, so a worker that lost its lease can never mark a site done.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import redis

from govcrawl.distributed.keys import RunKeys

NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

# KEYS pending leases expiry groups seq stats; ARGV owner n ttl_ms excluded...
LEASE = NOW_MS + """
local excluded = {}
for i = 4, #ARGV do excluded[ARGV[i]] = true end
local out, skipped = {}, {}
local wanted = tonumber(ARGV[2])
local left = redis.call('LLEN', KEYS[1])
while #out < wanted * 3 and left > 0 do
  left = left - 1
  local g = redis.call('LPOP', KEYS[1])
  if not g then break end
  if excluded[g] then
    table.insert(skipped, g)
  else
    local token = ARGV[1] .. '.' .. redis.call('INCR', KEYS[5])
    redis.call('HSET', KEYS[2], g, cjson.encode({owner = ARGV[1], token = token, since = now}))
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), g)
    table.insert(out, g) table.insert(out, token) table.insert(out, redis.call('HGET', KEYS[4], g))
  end
end
for i = #skipped, 1, -1 do redis.call('LPUSH', KEYS[1], skipped[i]) end
if #out > 0 then redis.call('HINCRBY', KEYS[6], 'leased', #out / 3) end
return out
"""

# KEYS leases expiry; ARGV ttl_ms group1 token1 group2 token2 ...  -> the groups still held (renewed)
RENEW = NOW_MS + """
local held = {}
for i = 2, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  if cur and cjson.decode(cur).token == ARGV[i + 1] then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[i])
    table.insert(held, ARGV[i])
  end
end
return held
"""

# KEYS leases expiry done groups stats; ARGV group token site record queue_key
# -> -1 lease not held, 0 acknowledged, 1 acknowledged and the group is complete (lease released)
ACK = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur or cjson.decode(cur).token ~= ARGV[2] then return -1 end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  redis.call('HINCRBY', KEYS[5], 'sites_done', 1)
end
for _, site in ipairs(cjson.decode(redis.call('HGET', KEYS[4], ARGV[1]))) do
  if redis.call('HEXISTS', KEYS[3], site.site_code) == 0 then return 0 end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', ARGV[5])
redis.call('HINCRBY', KEYS[5], 'groups_done', 1)
return 1
"""

# KEYS expiry leases pending stats; ARGV queue_prefix [group token] -> groups put back to pending.
# Without a group: every expired lease. With one: that lease, if still held with that token (a worker giving it up).
RECLAIM = NOW_MS + """
local groups
if ARGV[2] then groups = {ARGV[2]} else groups = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now) end
local out = {}
for _, g in ipairs(groups) do
  local cur = redis.call('HGET', KEYS[2], g)
  local lease = cur and cjson.decode(cur)
  if lease and (not ARGV[3] or lease.token == ARGV[3]) then
    redis.call('DEL', ARGV[1] .. g .. ':' .. lease.token)
    redis.call('HDEL', KEYS[2], g)
    redis.call('LPUSH', KEYS[3], g)
    redis.call('ZREM', KEYS[1], g)
    table.insert(out, g)
  elseif not ARGV[2] then
    redis.call('ZREM', KEYS[1], g)
  end
end
if #out > 0 then redis.call('HINCRBY', KEYS[4], ARGV[2] and 'released' or 'reclaimed', #out) end
return out
"""

# KEYS pending leases meta; ARGV finished_at -> 1 when nothing is pending or leased (the run is complete)
FINISH = """
if redis.call('LLEN', KEYS[1]) > 0 or redis.call('HLEN', KEYS[2]) > 0 then return 0 end
if redis.call('HGET', KEYS[3], 'status') ~= 'complete' then
  redis.call('HSET', KEYS[3], 'status', 'complete', 'completed_at', ARGV[1])
end
return 1
"""


@dataclass(frozen=True)
class Lease:
    group: str
    token: str
    sites: list[dict]


class LeaseStore:
    """The lease operations of one run; every method is one round trip."""

    def __init__(self, server: redis.Redis, keys: RunKeys):
        self.server, self.keys = server, keys
        self._lease = server.register_script(LEASE)
        self._renew = server.register_script(RENEW)
        self._ack = server.register_script(ACK)
        self._reclaim = server.register_script(RECLAIM)
        self._finish = server.register_script(FINISH)

    def lease(self, owner: str, count: int, ttl: float, exclude: set[str] = frozenset()) -> list[Lease]:
        k = self.keys
        flat = self._lease(keys=[k.pending, k.leases, k.expiry, k.groups, k.seq, k.stats],
                           args=[owner, count, int(ttl * 1000), *sorted(exclude)])
        return [Lease(_s(flat[i]), _s(flat[i + 1]), json.loads(flat[i + 2]))
                for i in range(0, len(flat), 3)]

    def renew(self, leases: dict[str, str], ttl: float) -> set[str]:
        """Extend the leases {group: token} still held; returns those groups (the others were lost)."""
        if not leases:
            return set()
        args = [int(ttl * 1000)] + [x for pair in leases.items() for x in pair]
        return {_s(g) for g in self._renew(keys=[self.keys.leases, self.keys.expiry], args=args)}

    def ack(self, group: str, token: str, site_code: str, record: dict) -> int:
        k = self.keys
        return int(self._ack(keys=[k.leases, k.expiry, k.done, k.groups, k.stats],
                             args=[group, token, site_code, json.dumps(record), k.queue(group, token)]))

    def reclaim(self) -> list[str]:
        k = self.keys
        return [_s(g) for g in self._reclaim(keys=[k.expiry, k.leases, k.pending, k.stats], args=[k.prefix + "q:"])]

    def release(self, group: str, token: str) -> bool:
        """Give a held lease back (the worker stops): the group returns to pending at once."""
        k = self.keys
        return bool(self._reclaim(keys=[k.expiry, k.leases, k.pending, k.stats], args=[k.prefix + "q:", group, token]))

    def finish(self, finished_at: str) -> bool:
        k = self.keys
        return bool(self._finish(keys=[k.pending, k.leases, k.meta], args=[finished_at]))

    def expire_run(self, ttl_seconds: int) -> int:
        """Give every key of the run that has no expiry one; returns how many keys got one."""
        count = 0
        for key in self.server.scan_iter(match=self.keys.pattern, count=500):
            if self.server.ttl(key) == -1:
                count += bool(self.server.expire(key, ttl_seconds))
        return count


def _s(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
