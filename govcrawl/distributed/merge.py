"""`govcrawl merge`: one database from the workers' databases, taking each site only from the copy Redis acknowledged.

A killed worker leaves partial sites in its database, and a reclaimed group is crawled twice; the acknowledgement
(`govcrawl:{run}:done`, site -> lease token) and the worker's `distributed_acks` row (site -> the same token)
single out the one complete copy of every site.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import redis
import sqlite_utils

from govcrawl import schema
from govcrawl.purposes import added
from govcrawl.distributed.keys import RunKeys
from govcrawl.distributed.localdb import ACKS, site_tables
from govcrawl.distributed.seeding import read_meta
from govcrawl.judging import judge_stored, run_rule_settings
from govcrawl.reviews import apply_reviews


class MergeError(Exception):
    pass


@dataclass
class MergeResult:
    sites: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)     # sites without an acknowledged copy in the databases given
    sources: dict[str, int] = field(default_factory=dict)  # database -> sites taken from it


def acknowledged(server: redis.Redis, run: str) -> dict[str, dict]:
    return {k.decode(): json.loads(v) for k, v in server.hgetall(RunKeys(run).done).items()}


def run_sites(server: redis.Redis, run: str) -> list[str]:
    groups = server.hgetall(RunKeys(run).groups)
    return [r["site_code"] for v in groups.values() for r in json.loads(v)]


def merge(server: redis.Redis, run: str, sources: list[str], out: str, partial: bool = False) -> MergeResult:
    meta = read_meta(server, run)
    if meta is None:
        raise MergeError(f"run {run!r} is not in Redis (its keys expire GOVCRAWL_REDIS_DONE_TTL after completion)")
    done = acknowledged(server, run)
    dbs = {path: sqlite_utils.Database(path) for path in sources if Path(path).exists()}
    if len(dbs) < len(sources):
        raise MergeError(f"no such database: {', '.join(p for p in sources if p not in dbs)}")
    copies: dict[tuple[str, str], str] = {}
    for path, db in dbs.items():
        if db[ACKS].exists():
            for row in db.query(f"select site_code, lease from [{ACKS}] where run_id = ?", [run]):
                copies[(row["site_code"], row["lease"])] = path
    result = MergeResult()
    chosen: dict[str, str] = {}
    for code in run_sites(server, run):
        ack = done.get(code)
        path = copies.get((code, ack["lease"])) if ack else None
        if path is None:
            result.missing.append(code)
        else:
            chosen[code] = path
    if result.missing and not partial:
        raise MergeError(f"{len(result.missing)} sites have no acknowledged copy in these databases "
                         f"(run not finished, or a worker's database is missing): {', '.join(result.missing[:20])}")
    target = _open_target(out, run)
    with target.conn:
        for code, path in chosen.items():
            source = dbs[path]
            for table in site_tables() + [ACKS]:
                if not source[table].exists():
                    continue
                rows = list(source.query(f"select * from [{table}] where run_id = ? and site_code = ?", [run, code]))
                if rows:
                    target[table].insert_all(rows, alter=True, replace=True)
                    result.rows[table] = result.rows.get(table, 0) + len(rows)
            result.sources[path] = result.sources.get(path, 0) + 1
        target["runs"].upsert(_run_row(run, meta, dbs.values(), complete=not result.missing), pk="run_id", alter=True)
    rejudge(target, run, chosen)
    apply_reviews(target, run)  # an inspector's decisions held in the target carry over to the merged run
    result.sites = len(chosen)
    target.conn.close()
    return result


def rejudge(target: sqlite_utils.Database, run: str, codes) -> None:
    """Judge every merged site that its worker judged again, on the merged facts, by the function its worker judged
    with (govcrawl.judging): a fact from another worker's sites (a department's portal) is now in view."""
    settings = run_rule_settings(target["runs"].get(run))
    judged = {r[0] for r in target.execute("select site_code from sites where run_id = ? and judged_at is not null",
                                           [run])}
    for code in sorted(judged & set(codes)):
        judge_stored(target, run, code, settings)


def _open_target(out: str, run: str) -> sqlite_utils.Database:
    db = sqlite_utils.Database(out)
    for table in schema.TABLES:
        if not db[table].exists():
            db[table].create(schema.columns(table), pk=schema.pk(table))
    with db.conn:  # merging again replaces the run
        for table in [t for t, spec in schema.TABLES.items() if "run_id" in spec["columns"]] + [ACKS]:
            if db[table].exists():
                db.execute(f"delete from [{table}] where run_id = ?", [run])
    return db


def _run_row(run: str, meta: dict, dbs, complete: bool) -> dict:
    rows = [r for db in dbs for r in db.query("select * from runs where run_id = ?", [run])]
    started = [r["started_at"] for r in rows if r.get("started_at")]
    finished = [r["finished_at"] for r in rows if r.get("finished_at")]
    return {
        "run_id": run, "spider": "provincial", "as_of": meta["as_of"], "registry": meta["registry"],
        "sites": int(meta["sites"]), "registry_problems": meta.get("registry_problems", "[]"),
        "started_at": min(started) if started else None, "finished_at": max(finished) if finished else None,
        "status": "finished" if complete and meta.get("status") == "complete" else "incomplete",
        "settings": rows[0].get("settings") if rows else None,
        # every worker's requests per purpose, added up
        "requests_by_purpose": json.dumps(added(json.loads(r.get("requests_by_purpose") or "{}") for r in rows)),
    }
