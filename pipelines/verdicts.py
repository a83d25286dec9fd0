"""Judge a site once all of its data is stored: categories, cadence, per-column flags, then every rule.

Runs after StoragePipeline, on the `site_done` item, so a verdict never comes from part of a site.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from datetime import date

from govcrawl.categories import Categories
from govcrawl.crawlrun import CrawlRun, crawl_run
from govcrawl.reviews import apply_reviews
from govcrawl.rules import RuleSettings, cadence, judge_site_fully, site_passed
from govcrawl.rules.columns import is_stale
from govcrawl.sitefacts import load_site_facts
from govcrawl.tlscheck import certificate_problem
from pipelines.storage import open_db, utc_now

logger = logging.getLogger(__name__)


def classify_columns(db, run_id: str, site_code: str, categories: Categories) -> None:
    """Set each column's category from its name, and its cadence from its entries' dates."""
    as_of = date.fromisoformat(db["runs"].get(run_id)["as_of"])
    dates = defaultdict(list)
    for row in db.query("select column_url, date from entries where run_id = ? and site_code = ? and date is not null",
                        [run_id, site_code]):
        dates[row["column_url"]].append(date.fromisoformat(row["date"][:10]))
    updates = []
    for column in db.query("select url, name from columns where run_id = ? and site_code = ?", [run_id, site_code]):
        days, overdue = cadence(dates.get(column["url"], []), as_of)
        updates.append((categories.classify(column["name"] or ""), days, overdue, run_id, site_code, column["url"]))
    with db.conn:
        db.conn.executemany("update columns set category = ?, cadence_days = ?, periods_overdue = ? "
                            "where run_id = ? and site_code = ? and url = ?", updates)


# An incomplete site (columns or homepage refused to us) is judged only on what was read: these codes need the
# columns, these the homepage, so they are not issued when that part is missing. Never a false pass, never a false fail.
NEEDS_COLUMNS = {"homepage_not_updated", "columns_not_updated", "columns_long_stale", "blank_columns",
                 "no_consultation_channel", "letters_unanswered", "no_service", "guide_elements_missing",
                 "broken_links", "future_dated"}
NEEDS_HOMEPAGE = NEEDS_COLUMNS | {"footer_incomplete", "sitecode_mismatch"}
UNDECIDED_PREFIX = "未能判定："


def judge(db, run_id: str, site_code: str, settings: RuleSettings, categories: Categories) -> list:
    """Judge one stored site and store its findings and pass/fail; returns the findings."""
    classify_columns(db, run_id, site_code, categories)
    facts = load_site_facts(db, run_id, site_code)
    as_of = date.fromisoformat(db["runs"].get(run_id)["as_of"])
    findings, undecided = judge_site_fully(facts, as_of, settings)
    stale = [c.url for c in facts.columns if c.role == "column" and is_stale(c, as_of, settings)]
    site = db["sites"].get((run_id, site_code))
    decided = site["reachable"] or any(f.indicator == "site_unreachable" for f in findings)
    status = {}
    if site["status"] == "incomplete":
        homepage_read = any(c.role == "homepage" for c in facts.columns)
        missing = NEEDS_COLUMNS if homepage_read else NEEDS_HOMEPAGE
        findings = [f for f in findings if f.indicator not in missing]
        decided = any(f.veto for f in findings)  # a veto from what was read still fails it; else undecided
    if undecided:  # a veto code hangs on what could not be read: no pass; a veto seen elsewhere still fails it
        decided = decided and any(f.veto for f in findings)
        why = UNDECIDED_PREFIX + "；".join(f"{u['indicator']}（{u['reason']}）" for u in undecided)
        earlier = (site["status_reason"] or "").split(UNDECIDED_PREFIX)[0].rstrip("；")  # judged again: replaced
        status = {"status": "incomplete", "undecided": json.dumps(undecided, ensure_ascii=False),
                  "status_reason": "；".join(r for r in (earlier, why) if r)}
    with db.conn:
        db.execute("delete from findings where run_id = ? and site_code = ?", [run_id, site_code])
        db["findings"].insert_all([{
            "run_id": run_id, "site_code": site_code, "indicator": f.indicator, "veto": int(f.veto),
            "detail": f.detail, "evidence_url": f.evidence_url,
            "evidence": json.dumps(f.evidence, ensure_ascii=False), "finding_key": f.evidence.get("finding_key"),
        } for f in findings])
        db.conn.executemany("update columns set stale = 1 where run_id = ? and site_code = ? and url = ?",
                            [(run_id, site_code, url) for url in stale])
        passed = int(site_passed(findings)) if decided else None
        db["sites"].update((run_id, site_code), {"passed": passed, "judged_passed": passed, "judged_at": utc_now(),
                                                  "undecided": status.get("undecided"), **status})
    apply_reviews(db, run_id, site_code)  # an inspector's earlier decision on the same finding carries over
    return findings


class VerdictPipeline:
    def __init__(self, path: str, settings: RuleSettings):
        self.path = path
        self.settings = settings
        self.db = None
        self.categories: dict[str | None, Categories] = {}

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("GOVCRAWL_DB", "govcrawl.db"), RuleSettings.from_settings(crawler.settings.get))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider=None):
        self.db = open_db(self.path)

    def close_spider(self, spider=None):
        self.db.conn.close()

    async def check_tls(self, run: CrawlRun, code: str) -> None:
        """Verify the certificate of an https site off the reactor thread; in replay mode against the replay CA."""
        row = self.db["sites"].get((run.run_id, code))
        url = row["final_url"] or row["registered_url"]
        if not url.startswith("https:") or not row["reachable"]:
            return
        problem = await asyncio.to_thread(certificate_problem, url, run.proxy, run.replay_ca)
        if problem:
            self.db["sites"].update((run.run_id, code), {"tls_problem": problem})

    def categories_for(self, override: str | None) -> Categories:
        if override not in self.categories:
            self.categories[override] = Categories.load(override=override)
        return self.categories[override]

    async def process_item(self, item, spider=None):
        if item.get("type") != "site_done":
            return item
        run = crawl_run(self.crawler)
        code = item["site_code"]   # the site_done item carries the site's own category overrides
        await self.check_tls(run, code)
        findings = judge(self.db, run.run_id, code, self.settings, self.categories_for(item.get("categories")))
        vetoes = [f.indicator for f in findings if f.veto]
        self.crawler.stats.inc_value("govcrawl/sites_failed" if vetoes else "govcrawl/sites_judged_ok")
        for f in findings:
            self.crawler.stats.inc_value(f"govcrawl/findings/{f.indicator}")
        logger.info("judged %s %s: %s", code, item.get("name"), ", ".join(vetoes) or "合格")
        return item
