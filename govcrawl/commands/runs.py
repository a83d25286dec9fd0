"""govcrawl runs --db FILE: the runs in a database, with their sites, failures and requests."""
from __future__ import annotations

import sys
from pathlib import Path


def run_rows(db) -> list[dict]:
    return list(db.query("""
        select r.run_id, r.spider, r.as_of, r.status, r.started_at, r.finished_at,
               count(s.site_code) as sites,
               sum(case when s.passed = 0 then 1 else 0 end) as failing,
               sum(case when s.passed is null then 1 else 0 end) as undecided,
               coalesce(sum(s.requests), 0) as requests
        from runs r left join sites s on s.run_id = r.run_id
        group by r.run_id order by r.started_at"""))


def _runs(args) -> int:
    import sqlite_utils

    if not Path(args.db).exists():
        print(f"{args.db}: no such database", file=sys.stderr)
        return 2
    rows = run_rows(sqlite_utils.Database(args.db))
    header = ("run_id", "spider", "as_of", "status", "sites", "failing", "undecided", "requests", "started_at")
    widths = [max(len(str(h)), *(len(str(r[h] if r[h] is not None else "")) for r in rows)) for h in header]
    for line in [header] + [tuple(r[h] if r[h] is not None else "" for h in header) for r in rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths)).rstrip())
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("runs", help="list the runs in a database with their sites, failures and requests")
    p.add_argument("--db", default="govcrawl.db")
    p.set_defaults(func=_runs)
