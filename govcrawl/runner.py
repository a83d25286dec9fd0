"""Running a spider in-process, for the govcrawl commands that crawl (record, probe)."""
from __future__ import annotations

import os


def run_spider(name: str, settings: dict, **spider_args) -> int:
    """Run one spider with the project settings; 0 when the crawl finished, 1 otherwise."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "govcrawl.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    project = get_project_settings()
    project.setdict(settings, priority="cmdline")
    process = CrawlerProcess(project)
    crawler = process.create_crawler(name)
    process.crawl(crawler, **{k: v for k, v in spider_args.items() if v is not None})
    process.start()
    reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    return 0 if reason == "finished" else 1


def parse_settings(pairs: list[str] | None) -> dict:
    """`-s NAME=VALUE` options as a dict."""
    out = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"-s {pair!r}: expected NAME=VALUE")
        out[name] = value
    return out

