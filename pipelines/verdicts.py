"""Verdicts during a crawl, decided by rules/ and never here.

VerdictPipeline runs after StoragePipeline, on the `site_done` item, so a verdict never comes from part of a site:
it checks the certificate, then govcrawl.judging classifies the stored columns, judges the site and stores it.
AccountVerdictPipeline runs before StoragePipeline: it judges a new-media account from the facts the spider read
(rules.newmedia.judge_account) and hands the account row with its findings on to be stored.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date

from govcrawl.categories import Categories
from govcrawl.crawlrun import CrawlRun, crawl_run
from govcrawl.judging import judge
from govcrawl.rules import RuleSettings
from govcrawl.rules.newmedia import judge_account
from govcrawl.tlscheck import certificate_problem
from pipelines.storage import open_db

logger = logging.getLogger(__name__)


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


class AccountVerdictPipeline:
    """An `account_facts` item (the account, the facts read, as_of) becomes the `account` item with its verdict;
    the account's findings ride along in `findings`, stored by StoragePipeline as rows of the findings table."""

    def __init__(self, window_days: int):
        self.window_days = window_days

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.getint("GOVCRAWL_ACCOUNT_WINDOW_DAYS", 14))
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item, spider=None):
        if item.get("type") != "account_facts":
            return item
        account, facts = item["account"], item["facts"]
        verdict = judge_account(account, facts, date.fromisoformat(item["as_of"]), self.window_days)
        self.crawler.stats.inc_value(f"govcrawl/accounts_{verdict.status}")
        logger.info("judged %s %s: %s", account.account_id, account.name,
                    ", ".join(f.indicator for f in verdict.findings) or verdict.status)
        return {
            "type": "account", "account_id": account.account_id, "name": account.name, "unit": account.unit,
            "platform": account.platform, "url": account.url, "status": verdict.status, "reason": verdict.reason,
            "newest_post": facts.newest_post, "interaction": verdict.interaction, "passed": verdict.passed,
            "facts": facts.as_json(), "requests": item["requests"],
            "findings": [{"site_code": account.account_id, "indicator": f.indicator, "veto": f.veto,
                          "detail": f.detail, "evidence_url": f.evidence_url, "evidence": f.evidence}
                         for f in verdict.findings],
        }
