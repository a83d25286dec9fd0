"""govcrawl runs --db FILE: the runs in a database, with their sites or accounts, failures and requests."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from govcrawl.purposes import COLUMN_PURPOSES, PURPOSES, column_requests

# a website run counts its sites; a new-media run its accounts (unchecked: not checked, unsupported, gone)
RUN_ROWS = """
    select r.run_id, r.spider, r.as_of, r.status, r.started_at, r.finished_at,
           coalesce(s.n, a.n, 0) as inspected, coalesce(s.failing, a.failing, 0) as failing,
           coalesce(s.undecided, a.undecided, 0) as undecided, coalesce(s.requests, a.requests, 0) as requests,
           coalesce(c.n, 0) as columns, r.requests_by_purpose
    from runs r
    left join (select run_id, count(*) n from columns where role = 'column' group by run_id) c on c.run_id = r.run_id
    left join (select run_id, count(*) n, sum(passed = 0) failing, sum(passed is null) undecided,
                      sum(coalesce(requests, 0)) requests from sites group by run_id) s on s.run_id = r.run_id
    left join (select run_id, count(*) n, sum(passed = 0) failing, sum(status != 'checked') undecided,
                      sum(coalesce(requests, 0)) requests from accounts group by run_id) a
           on a.run_id = r.run_id and s.run_id is null
    order by r.started_at, r.rowid"""


def run_rows(db) -> list[dict]:
    """Every run of `db` (opened with govcrawl.schema.open_db, so all tables exist), killed ones marked first."""
    from govcrawl.runstate import mark_interrupted

    mark_interrupted(db)
    rows = []
    for row in db.query(RUN_ROWS):
        by_purpose = json.loads(row.pop("requests_by_purpose") or "{}")
        column_cost = column_requests(by_purpose)
        rows.append({**row, "by_purpose": by_purpose, "column_requests": column_cost,
                     "per_column": round(column_cost / row["columns"], 2) if row["columns"] else None})
    return rows


def purposes_cell(by_purpose: dict) -> str:
    """homepage=3,column=40,…: the run's requests per purpose, in the README's order."""
    order = list(PURPOSES)
    return ",".join(f"{p}={n}" for p, n in sorted(by_purpose.items(), key=lambda kv: order.index(kv[0])
                                                  if kv[0] in order else len(order)))


def _runs(args) -> int:
    from govcrawl.schema import open_db

    if not Path(args.db).exists():
        print(f"{args.db}: no such database", file=sys.stderr)
        return 2
    rows = run_rows(open_db(args.db))
    header = ("run_id", "spider", "as_of", "status", "inspected", "failing", "undecided", "requests", "columns",
              "per_column", "started_at", "by_purpose")
    rows = [{**r, "by_purpose": purposes_cell(r["by_purpose"]), "per_column": r["per_column"] or "-"} for r in rows]
    widths = [max(len(str(h)), *(len(str(r[h] if r[h] is not None else "")) for r in rows)) for h in header]
    for line in [header] + [tuple(r[h] if r[h] is not None else "" for h in header) for r in rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths)).rstrip())
    print("inspected: sites (website runs) or accounts (newmedia runs); undecided: sites without a verdict, "
          "accounts not checked; per_column: requests to read columns (" + "+".join(COLUMN_PURPOSES) + ") per column; "
          "by_purpose: requests sent per purpose (README \"Requests by purpose\")", file=sys.stderr)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("runs", help="list the runs in a database with their sites or accounts, failures and requests")
    p.add_argument("--db", default="govcrawl.db")
    p.set_defaults(func=_runs)
