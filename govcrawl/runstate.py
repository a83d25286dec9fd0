"""Runs that are honest about themselves: the monitoring point allowed, a run id reused, a run whose process is gone.

A run row records the process that writes it (host, pid, the process's start time). A row still `running` whose
process no longer exists on this host was killed (SIGKILL, power loss): it is `interrupted`, and every reader
(`govcrawl runs`, `govcrawl report`, `govcrawl serve`) marks it so before showing it.
"""
from __future__ import annotations

import os
import socket
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

# 国办秘函〔2019〕19号 was issued in 2019; a monitoring point before that year would judge by rules not yet in force.
EARLIEST_AS_OF = date(2019, 1, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")
TRUTHY = {"1", "true", "yes", "on"}


def today() -> date:
    return datetime.now(SHANGHAI).date()


def utc_now() -> str:
    """The time rows record (started_at, judged_at, …): UTC, ISO, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def as_of_problem(value: date, now: date | None = None) -> str | None:
    """Why `value` cannot be a monitoring point T (None when it can): not in the future, not before 19号."""
    now = now or today()
    if value > now:
        return f"-a as_of={value.isoformat()}: the monitoring point is in the future (today is {now.isoformat()})"
    if value < EARLIEST_AS_OF:
        return (f"-a as_of={value.isoformat()}: before {EARLIEST_AS_OF.isoformat()}, when 国办秘函〔2019〕19号's "
                "indicators did not exist yet")
    return None


def truthy(value) -> bool:
    return str(value or "").strip().lower() in TRUTHY


def process_marker() -> dict:
    """Who writes a run: stored in its row so that a reader can tell a live run from a killed one."""
    import psutil

    return {"host": socket.gethostname(), "pid": os.getpid(), "pid_started": psutil.Process().create_time()}


def process_gone(row: dict) -> bool:
    """True when a `running` row's writer is known to be dead: same host, and its pid is gone or reused."""
    import psutil

    if row.get("status") != "running" or not row.get("pid") or row.get("host") != socket.gethostname():
        return False
    try:
        started = psutil.Process(int(row["pid"])).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return True
    return row.get("pid_started") is not None and abs(started - float(row["pid_started"])) > 1.0


def mark_interrupted(db) -> list[str]:
    """Set `interrupted` on every running run whose process is gone; returns their ids. Needs a writable db."""
    if not db["runs"].exists() or "pid" not in db["runs"].columns_dict:
        return []
    gone = [r["run_id"] for r in db.query("select * from runs where status = 'running'") if process_gone(r)]
    if gone:
        with db.conn:
            for run_id in gone:
                db["runs"].update(run_id, {"status": "interrupted"})
    return gone


def _same_registry(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (TypeError, OSError):
        return False


def reuse_problem(db, run_id: str, spider: str, registry: str, as_of: str) -> str | None:
    """Why the existing run `run_id` may not be continued by this crawl (None when it may, or does not exist)."""
    if not db["runs"].exists():
        return None
    old = next(db.query("select spider, registry, as_of from runs where run_id = ?", [run_id]), None)
    if old is None:
        return None
    differences = []
    if old["spider"] != spider:
        differences.append(f"spider {old['spider']} (not {spider})")
    if not _same_registry(old["registry"], registry):
        differences.append(f"registry {old['registry']} (not {registry})")
    if old["as_of"] != as_of:
        differences.append(f"as_of {old['as_of']} (not {as_of})")
    if not differences:
        return None
    return (f"-a run={run_id}: that run already exists with {', '.join(differences)}; "
            "choose another run id, or pass -a replace=1 to delete it and crawl it again")


def latest_run(db, spider: str | None = None, as_of: str | None = None,
               status: str | None = "finished") -> str | None:
    """The newest run (by started_at) that holds sites, or of the given spider / as_of; only `status` ones
    (default finished: an interrupted run is never picked without being named)."""
    if not db["runs"].exists():
        return None
    where, params = [], []
    if spider:
        where.append("spider = ?"), params.append(spider)
    else:
        where.append("run_id in (select distinct run_id from sites)")
    if as_of:
        where.append("as_of = ?"), params.append(as_of)
    if status and "status" in db["runs"].columns_dict:   # databases written by hand in tests may lack it
        where.append("status = ?"), params.append(status)
    row = db.execute(f"select run_id from runs where {' and '.join(where)} order by started_at desc, rowid desc limit 1",
                     params).fetchone()
    return row[0] if row else None
