"""Screenshots as evidence: for a site with a single-veto finding, a PNG of its homepage and of the column a finding
names, taken once the site is judged, saved under <GOVCRAWL_EVIDENCE_DIR>/<run_id>/<site_code>/ and linked from
the finding (findings.evidence gets "screenshots": [paths relative to the database's folder]).

Runs after VerdictPipeline on `site_done`. Sites without a veto cost one indexed query and nothing more. Shots go
through the crawl's own browser and proxy (scrapy-playwright requests via the engine), so replayed runs work offline.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from govcrawl.crawlrun import crawl_run
from govcrawl.visit import VISIT, Visit
from pipelines.storage import open_db

logger = logging.getLogger(__name__)
MAX_COLUMN_SHOTS = 3


def evidence_root(db_path: str, setting: str | None) -> Path:
    """Where the run folders go: GOVCRAWL_EVIDENCE_DIR, relative to the database's folder unless absolute."""
    root = Path(setting or "evidence")
    return root if root.is_absolute() else Path(db_path).resolve().parent / root


def shot_targets(site: dict, findings: list[dict]) -> list[tuple[str, str]]:
    """(name, url) to photograph: the homepage, then each distinct page a veto finding points at."""
    home = site.get("final_url") or None
    targets = [("homepage", home)] if home and site.get("reachable") else []
    for f in findings:
        if f.get("indicator") == "site_unreachable":
            continue   # its page did not load: the fetches are the evidence, a screenshot would only fail again
        url = f.get("evidence_url")
        if url and url != home and url not in {u for _, u in targets} and len(targets) <= MAX_COLUMN_SHOTS:
            digest = hashlib.sha1(url.encode()).hexdigest()[:10]
            targets.append((f"{f['indicator']}-{digest}", url))
    return targets


def with_screenshots(evidence: str | None, paths: list[str]) -> str:
    try:
        data = json.loads(evidence) if evidence else {}
    except ValueError:
        data = {"text": evidence}
    if not isinstance(data, dict):
        data = {"value": data}
    data["screenshots"] = paths
    return json.dumps(data, ensure_ascii=False)


class EvidencePipeline:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.enabled = s.getbool("GOVCRAWL_SCREENSHOTS", True)
        self.db_path = s.get("GOVCRAWL_DB", "govcrawl.db")
        self.root = evidence_root(self.db_path, s.get("GOVCRAWL_EVIDENCE_DIR"))
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.db = open_db(self.db_path)

    def close_spider(self, spider=None):
        self.db.conn.close()

    async def process_item(self, item, spider=None):
        if not self.enabled or item.get("type") != "site_done":
            return item
        run = crawl_run(self.crawler)
        run_id, code = run.run_id, item["site_code"]
        findings = list(self.db.query("select indicator, evidence_url, evidence from findings "
                                      "where run_id = ? and site_code = ? and veto = 1", [run_id, code]))
        if not findings:
            return item
        site = self.db["sites"].get((run_id, code))
        folder = self.root / run_id / code
        paths = []
        for name, url in shot_targets(site, findings):
            target = folder / f"{name}.png"
            if await self.screenshot(run.proxy, url, target):
                paths.append(str(target.relative_to(Path(self.db_path).resolve().parent))
                             if target.is_relative_to(Path(self.db_path).resolve().parent) else str(target))
        if paths:
            with self.db.conn:
                for f in findings:
                    self.db.execute("update findings set evidence = ? where run_id = ? and site_code = ? and indicator = ?",
                                    [with_screenshots(f["evidence"], paths), run_id, code, f["indicator"]])
            self.crawler.stats.inc_value("govcrawl/screenshots", len(paths))
        return item

    async def screenshot(self, proxy: str | None, url: str, target: Path) -> bool:
        from scrapy import Request
        from scrapy_playwright.page import PageMethod

        from govcrawl.browser import context_kwargs, settle

        request = Request(url, dont_filter=True, meta={
            "playwright": True, "playwright_include_page": True,
            "playwright_context": "proxy" if proxy else "direct",
            "playwright_context_kwargs": context_kwargs(proxy, self.crawler.settings.get("USER_AGENT")),
            "playwright_page_goto_kwargs": {"wait_until": "load", "timeout": 20_000},
            "playwright_page_methods": [PageMethod(settle, 3000)],
            "handle_httpstatus_all": True, "dont_retry": True, VISIT: Visit(None, "evidence")})
        page = None
        try:
            response = await self.crawler.engine.download_async(request)
            page = response.meta.get("playwright_page")
            if page is None:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(target), full_page=True, timeout=15_000)
            return True
        except Exception as exc:  # noqa: BLE001 — evidence is a courtesy; the verdict stands without it
            logger.warning("screenshot of %s failed: %s", url, exc)
            self.crawler.stats.inc_value("govcrawl/screenshot_failures")
            return False
        finally:
            page = page or request.meta.get("playwright_page")
            if page is not None and not page.is_closed():
                await page.close()
