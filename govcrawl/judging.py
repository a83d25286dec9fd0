"""Judge one stored site: gather its facts from the database, take the verdict of rules.site_verdict, store it.

The verdict pipeline (pipelines/verdicts.py) and a distributed merge store through `judge_stored`; `govcrawl explain`
shows `stored_verdict` of the same facts; the report prints what was stored. All of them take the one function of
rules/, so none of them can disagree with another.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from govcrawl.categories import Categories
from govcrawl.reviews import apply_reviews
from govcrawl.rules import RuleSettings, SiteVerdict, column_class, site_verdict
from govcrawl.rules.judge import UNDECIDED_PREFIX
from govcrawl.runstate import utc_now
from govcrawl.sitefacts import crawl_status, load_site_facts


def run_rule_settings(run: dict) -> RuleSettings:
    """The rule settings a run was crawled with (runs.settings), so a site is judged again as it was judged."""
    return RuleSettings.from_settings(json.loads(run.get("settings") or "{}").get)


def classify_columns(db, run_id: str, site_code: str, categories: Categories) -> None:
    """Store each column's category and cadence (rules.column_class) from its name and its entries' dates."""
    as_of = date.fromisoformat(db["runs"].get(run_id)["as_of"])
    dates = defaultdict(list)
    for row in db.query("select column_url, date from entries where run_id = ? and site_code = ? and date is not null",
                        [run_id, site_code]):
        dates[row["column_url"]].append(date.fromisoformat(row["date"][:10]))
    updates = [(*column_class(c["name"] or "", dates.get(c["url"], []), as_of, categories), run_id, site_code, c["url"])
               for c in db.query("select url, name from columns where run_id = ? and site_code = ?", [run_id, site_code])]
    with db.conn:
        db.conn.executemany("update columns set category = ?, cadence_days = ?, periods_overdue = ? "
                            "where run_id = ? and site_code = ? and url = ?", updates)


def stored_verdict(db, run_id: str, site_code: str, settings: RuleSettings) -> SiteVerdict:
    """The verdict of a stored site, from its stored facts (columns already classified)."""
    as_of = date.fromisoformat(db["runs"].get(run_id)["as_of"])
    return site_verdict(load_site_facts(db, run_id, site_code), as_of, settings)


def judge_stored(db, run_id: str, site_code: str, settings: RuleSettings) -> SiteVerdict:
    """Judge a stored site and store its findings, stale columns and pass/fail; judged again, it is replaced."""
    verdict = stored_verdict(db, run_id, site_code, settings)
    site = db["sites"].get((run_id, site_code))
    status = {"crawl_status": crawl_status(site), "undecided": None}
    if verdict.undecided:
        earlier = (site["status_reason"] or "").split(UNDECIDED_PREFIX)[0].rstrip("；")  # judged again: replaced
        status = {**status, "status": "incomplete", "undecided": json.dumps(verdict.undecided, ensure_ascii=False),
                  "status_reason": "；".join(r for r in (earlier, verdict.undecided_reason) if r)}
    passed = None if verdict.passed is None else int(verdict.passed)
    with db.conn:
        db.execute("delete from findings where run_id = ? and site_code = ?", [run_id, site_code])
        db["findings"].insert_all([{
            "run_id": run_id, "site_code": site_code, "indicator": f.indicator, "veto": int(f.veto),
            "detail": f.detail, "evidence_url": f.evidence_url,
            "evidence": json.dumps(f.evidence, ensure_ascii=False), "finding_key": f.evidence.get("finding_key"),
        } for f in verdict.findings])
        db.conn.executemany("update columns set stale = 1 where run_id = ? and site_code = ? and url = ?",
                            [(run_id, site_code, url) for url in verdict.stale])
        db["sites"].update((run_id, site_code), {"passed": passed, "judged_passed": passed, "judged_at": utc_now(),
                                                  **status}, alter=True)
    apply_reviews(db, run_id, site_code)  # an inspector's earlier decision on the same finding carries over
    return verdict


def judge(db, run_id: str, site_code: str, settings: RuleSettings, categories: Categories) -> list:
    """Classify a stored site's columns, judge it and store the verdict; returns the findings."""
    classify_columns(db, run_id, site_code, categories)
    return judge_stored(db, run_id, site_code, settings).findings
