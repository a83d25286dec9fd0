"""Every Redis key of a distributed run lives under `govcrawl:{run}:`, so runs never share state."""
from __future__ import annotations

from dataclasses import dataclass

from govcrawl.scope import host_of, strip_www

PREFIX = "govcrawl"


def group_of(url: str) -> str:
    """The host group of a registered URL: its host without a leading www.; sites sharing it are crawled together."""
    return strip_www(host_of(url))


@dataclass(frozen=True)
class RunKeys:
    run: str

    @property
    def prefix(self) -> str:
        return f"{PREFIX}:{self.run}:"

    @property
    def pattern(self) -> str:
        """SCAN pattern matching every key of the run (glob characters in the run id are escaped)."""
        escaped = "".join("\\" + c if c in "*?[]\\" else c for c in self.run)
        return f"{PREFIX}:{escaped}:*"

    def _k(self, name: str) -> str:
        return self.prefix + name

    meta = property(lambda self: self._k("meta"))            # hash: as_of, registry, totals, status
    groups = property(lambda self: self._k("groups"))        # hash: group -> JSON list of site records
    pending = property(lambda self: self._k("pending"))      # list: groups waiting for a worker
    leases = property(lambda self: self._k("leases"))        # hash: group -> JSON {owner, token, since}
    expiry = property(lambda self: self._k("expiry"))        # zset: group -> lease expiry (ms, Redis clock)
    done = property(lambda self: self._k("done"))            # hash: site_code -> JSON acknowledgement
    workers = property(lambda self: self._k("workers"))      # hash: worker id -> JSON {host, pid, db, seen}
    stats = property(lambda self: self._k("stats"))          # hash: counters (leased, reclaimed, sites_done, ...)
    seq = property(lambda self: self._k("seq"))              # string: lease token counter
    dupefilter = property(lambda self: self._k("dupefilter"))  # set: scrapy-redis request fingerprints

    def queue(self, group: str, token: str) -> str:
        """The request queue of one lease (zset); only the lease holder pushes and pops it."""
        return self._k(f"q:{group}:{token}")
