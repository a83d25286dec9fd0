"""Resuming an interrupted crawl (`-s JOBDIR=DIR`, Scrapy's standard): the same command run again finishes the run.

The run id and T are kept in the job folder. Sites already judged in the database are not crawled again; a site
that was cut off mid-crawl has its partial rows removed and is crawled afresh, so nothing is lost or duplicated.
Scrapy's own persisted request queue is discarded: it belongs to the interrupted process's per-site state, which a
new process cannot continue exactly.
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from pipelines.storage import discard_site, judged_sites, open_db

logger = logging.getLogger(__name__)
JOB_FILE = "govcrawl-job.json"


def resume_job(spider, settings) -> None:
    jobdir = settings.get("JOBDIR")
    if not jobdir:
        return
    job = Path(jobdir)
    job.mkdir(parents=True, exist_ok=True)
    record = job / JOB_FILE
    if record.exists():
        saved = json.loads(record.read_text(encoding="utf-8"))
        if saved["as_of"] != spider.as_of.isoformat():
            raise ValueError(f"{record}: this job is for as_of={saved['as_of']}, not {spider.as_of}; use another JOBDIR")
        spider.run_id = saved["run_id"]
    else:
        record.write_text(json.dumps({"run_id": spider.run_id, "as_of": spider.as_of.isoformat(),
                                      "registry": str(spider.registry_path)}), encoding="utf-8")
    for stale in ("requests.queue", "requests.seen"):
        path = job / stale
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    db = open_db(settings.get("GOVCRAWL_DB"))
    done = judged_sites(db, spider.run_id)
    for site in spider.sites:
        if site.site_code not in done:
            discard_site(db, spider.run_id, site.site_code)
    db.conn.close()
    before = len(spider.sites)
    spider.sites = [s for s in spider.sites if s.site_code not in done]
    if done:
        logger.info("resuming run %s: %d sites already judged, %d to crawl", spider.run_id, before - len(spider.sites),
                    len(spider.sites))
    spider.resumed_sites_skipped = before - len(spider.sites)
