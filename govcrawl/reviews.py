"""An inspector's decisions on content-safety findings (table reviews) and their effect on a run's verdicts.

A finding is identified by (site_code, indicator, finding_key); the newest decision on that identity holds in every
run that has the same finding, so `govcrawl diff` and later runs of the same registry carry it over. A confirmed
finding is single-veto (19号 安全、泄密事故等严重问题): findings.veto = 1 and the site fails; a dismissed one stays
in the database and leaves the report.
"""
from __future__ import annotations

import sqlite_utils

from govcrawl.rules.safety import SAFETY_CODES

DECISIONS = ("confirmed", "dismissed")
DECISION_NAMES = {"confirmed": "确认", "dismissed": "排除"}


class ReviewError(ValueError):
    """A decision that cannot be recorded (no such finding in the run); the message says why."""


def decisions(db: sqlite_utils.Database) -> dict[tuple[str, str, str], dict]:
    """(site_code, indicator, finding_key) -> the newest decision."""
    if not db["reviews"].exists():
        return {}
    rows = db.query("select * from reviews order by decided_at, rowid")
    return {(r["site_code"], r["indicator"], r["finding_key"]): r for r in rows}


def decision_note(row: dict) -> str:
    return f"{row['by'] or '—'}于{row['decided_at'][:16].replace('T', ' ')}（UTC）{DECISION_NAMES[row['decision']]}：{row['note']}"


def apply_reviews(db: sqlite_utils.Database, run_id: str, site_code: str | None = None) -> None:
    """Set review status, veto and the sites' passed of one run (or one of its sites) from the decisions."""
    if "finding_key" not in db["findings"].columns_dict:  # a database from before content-safety review
        return
    held = decisions(db)
    marks = ",".join("?" * len(SAFETY_CODES))
    where, params = "run_id = ? and indicator in (" + marks + ")", [run_id, *SAFETY_CODES]
    if site_code:
        where, params = where + " and site_code = ?", params + [site_code]
    touched = set()
    with db.conn:
        for f in list(db.query(f"select site_code, indicator, finding_key from findings where {where}", params)):
            row = held.get((f["site_code"], f["indicator"], f["finding_key"]))
            status = row["decision"] if row else "open"
            db.execute("update findings set review = ?, review_note = ?, veto = ? where run_id = ? and site_code = ? "
                       "and indicator = ?", [status, decision_note(row) if row else None, int(status == "confirmed"),
                                             run_id, f["site_code"], f["indicator"]])
            touched.add(f["site_code"])
        for code in touched:
            confirmed = db.execute("select count(*) from findings where run_id = ? and site_code = ? and veto = 1 "
                                   "and review = 'confirmed'", [run_id, code]).fetchone()[0]
            db.execute("update sites set passed = case when ? then 0 else judged_passed end "
                       "where run_id = ? and site_code = ?", [confirmed, run_id, code])


def record_decision(db: sqlite_utils.Database, run_id: str, site_code: str, indicator: str, decision: str,
                    note: str, by: str, at: str) -> dict:
    """Record a decision on the finding `indicator` of `site_code` in `run_id` and apply it to every run that has
    the same finding. Returns the stored row."""
    if decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if indicator not in SAFETY_CODES:
        raise ReviewError(f"{indicator!r} is not a code decided by review ({', '.join(SAFETY_CODES)})")
    if not note.strip():
        raise ReviewError("a decision needs --note (why it is confirmed or dismissed)")
    found = db.execute("select finding_key from findings where run_id = ? and site_code = ? and indicator = ?",
                       [run_id, site_code, indicator]).fetchone()
    if found is None:
        raise ReviewError(f"run {run_id} has no {indicator} finding for site {site_code}")
    row = {"site_code": site_code, "indicator": indicator, "finding_key": found[0], "decision": decision,
           "note": note.strip(), "by": by, "decided_at": at, "decided_in_run": run_id}
    db["reviews"].insert(row)
    runs = [r[0] for r in db.execute("select distinct run_id from findings where site_code = ? and indicator = ? "
                                     "and finding_key = ?", [site_code, indicator, found[0]])]
    for run in runs:
        apply_reviews(db, run, site_code)
    return row


def open_findings(db: sqlite_utils.Database, run_id: str) -> list[dict]:
    """The review findings of a run that await a decision, with their site's name."""
    marks = ",".join("?" * len(SAFETY_CODES))
    return list(db.query(
        f"select f.*, s.name, s.unit from findings f join sites s on s.run_id = f.run_id and s.site_code = f.site_code "
        f"where f.run_id = ? and f.indicator in ({marks}) and coalesce(f.review, 'open') = 'open' "
        f"order by f.site_code, f.indicator", [run_id, *SAFETY_CODES]))
