"""`govcrawl enqueue`: validate a registry and write a run into Redis, one pending entry per host group."""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path

import redis

from govcrawl.distributed.keys import RunKeys, group_of
from govcrawl.registry import RegistryProblem, Site


class RunExists(Exception):
    pass


def host_groups(sites: list[Site]) -> "OrderedDict[str, list[Site]]":
    """Sites by host group, in registry order (path-prefixed subsites of one host share a group)."""
    groups: OrderedDict[str, list[Site]] = OrderedDict()
    for site in sites:
        groups.setdefault(group_of(site.url), []).append(site)
    return groups


def site_record(site: Site) -> dict:
    record = asdict(site)
    if site.categories:  # workers on other hosts need the same path; an absolute one says which
        record["categories"] = str(Path(site.categories).resolve())
    return record


def seed_run(server: redis.Redis, run: str, registry: str, as_of: date, sites: list[Site],
             problems: list[RegistryProblem], replace: bool = False) -> dict:
    """Write the run's meta, groups and pending list in one transaction; returns the meta written."""
    keys = RunKeys(run)
    if server.exists(keys.meta):
        if not replace:
            raise RunExists(f"run {run!r} is already in Redis (pass --replace to start it over)")
        for key in server.scan_iter(match=keys.pattern, count=500):
            server.delete(key)
    groups = host_groups(sites)
    meta = {
        "run_id": run, "as_of": as_of.isoformat(), "registry": str(Path(registry).resolve()),
        "registry_name": Path(registry).name, "sites": len(sites), "groups": len(groups),
        "registry_problems": json.dumps([str(p) for p in problems], ensure_ascii=False),
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "status": "pending",
    }
    with server.pipeline(transaction=True) as pipe:
        pipe.hset(keys.meta, mapping=meta)
        if groups:
            pipe.hset(keys.groups, mapping={g: json.dumps([site_record(s) for s in members], ensure_ascii=False)
                                            for g, members in groups.items()})
            pipe.rpush(keys.pending, *groups)
        pipe.execute()
    return meta


def read_meta(server: redis.Redis, run: str) -> dict[str, str] | None:
    raw = server.hgetall(RunKeys(run).meta)
    return {k.decode(): v.decode() for k, v in raw.items()} if raw else None


def progress(server: redis.Redis, run: str) -> dict:
    """What `govcrawl worker --status` prints: counts, who holds which group, and the workers' last heartbeat."""
    keys = RunKeys(run)
    meta = read_meta(server, run)
    if meta is None:
        return {"run_id": run, "status": "unknown"}
    leases = {g.decode(): json.loads(v) for g, v in server.hgetall(keys.leases).items()}
    workers = {w.decode(): json.loads(v) for w, v in server.hgetall(keys.workers).items()}
    stats = {k.decode(): int(v) for k, v in server.hgetall(keys.stats).items()}
    return {
        "run_id": run, "status": meta.get("status"), "as_of": meta.get("as_of"),
        "sites": int(meta.get("sites", 0)), "sites_done": server.hlen(keys.done),
        "groups": int(meta.get("groups", 0)), "groups_pending": server.llen(keys.pending),
        "groups_leased": {g: lease["owner"] for g, lease in leases.items()},
        "workers": workers, "counters": stats,
    }
