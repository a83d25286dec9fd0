"""Store every item in SQLite with sqlite-utils: WAL, batched, one transaction per batch."""
from __future__ import annotations

import json
import logging
from collections import defaultdict

import sqlite_utils
from scrapy import signals

from govcrawl import schema
from govcrawl.crawlrun import crawl_run
from govcrawl.purposes import added, requests_by_purpose
from govcrawl.runstate import mark_interrupted, process_marker, reuse_problem, utc_now
from govcrawl.schema import open_db  # noqa: F401 - where pipelines and spiders have always found it

logger = logging.getLogger(__name__)


def judged_sites(db: sqlite_utils.Database, run_id: str) -> set[str]:
    """Sites of a run whose verdict is stored (they are complete)."""
    return {r[0] for r in db.execute("select site_code from sites where run_id = ? and judged_at is not null", [run_id])}


def discard_site(db: sqlite_utils.Database, run_id: str, site_code: str) -> None:
    """Remove the rows of a site that was cut off mid-crawl, in one transaction, before it is crawled again."""
    with db.conn:
        for table, spec in schema.TABLES.items():
            if "site_code" in spec["columns"] and "run_id" in spec["columns"] and table != "probes":
                db.execute(f"delete from [{table}] where run_id = ? and site_code = ?", [run_id, site_code])


def delete_run(db: sqlite_utils.Database, run_id: str) -> None:
    """Remove every row of a run (`-a replace=1`), in one transaction."""
    with db.conn:
        for table, spec in schema.TABLES.items():
            if "run_id" in spec["columns"] and db[table].exists():
                db.execute(f"delete from [{table}] where run_id = ?", [run_id])


class StoragePipeline:
    """Buffers rows per table and writes them in batches; a site's rows are flushed when the site is done."""

    def __init__(self, path: str, batch_size: int):
        self.path = path
        self.batch_size = batch_size
        self.buffers: dict[str, list[dict]] = defaultdict(list)
        self.db: sqlite_utils.Database | None = None
        self.run_id = ""
        self.as_of = ""

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("GOVCRAWL_DB", "govcrawl.db"), crawler.settings.getint("GOVCRAWL_BATCH_SIZE", 500))
        pipeline.crawler = crawler
        # spider_closed carries the close reason, which close_spider does not
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        self.db = open_db(self.path)
        crawl = crawl_run(self.crawler)
        run = crawl.run_row()
        self.run_id, self.as_of = run["run_id"], run["as_of"]
        mark_interrupted(self.db)
        replace = crawl.replace
        problem = None if replace else reuse_problem(self.db, self.run_id, run["spider"], run["registry"], self.as_of)
        if problem:   # `scrapy crawl` says so before starting; this guards every other way of starting a crawl
            raise ValueError(problem)
        if replace:
            delete_run(self.db, self.run_id)
        existing = self.db["runs"].count_where("run_id = ?", [self.run_id])
        run.update(status="running", finished_at=None, **process_marker())
        if not existing:
            run["started_at"] = utc_now()
        # a resumed run (or another worker's) made requests before this process: they add up
        self.earlier_requests = {} if not existing else json.loads(
            self.db["runs"].get(self.run_id).get("requests_by_purpose") or "{}")
        self.db["runs"].upsert(run, pk="run_id")
        logger.info("writing run %s to %s", self.run_id, self.path)

    def process_item(self, item, spider=None):
        kind = item.get("type")
        if kind == "site_done":
            self.flush()
            self.update_columns(item["site_code"])
            self.store_requests({})
            return item
        table = schema.TABLE_OF_ITEM.get(kind)
        if table is None:
            raise ValueError(f"item of unknown type {kind!r}: {item!r}")
        row = {k: _cell(v) for k, v in item.items() if k not in ("type", "findings")}
        row["run_id"] = self.run_id
        self.buffers[table].append(row)
        if len(self.buffers[table]) >= self.batch_size:
            self.flush()
        for finding in item.get("findings", ()):  # a judged account's findings (pipelines.verdicts)
            self.process_item({"type": "finding", **finding})
        return item

    def flush(self) -> None:
        if not any(self.buffers.values()):
            return
        with self.db.conn:
            for table, rows in self.buffers.items():
                # Upsert merges a later partial item (an article's date, a column's page count) into its row.
                # sqlite-utils sets absent keys to NULL, so rows are written in groups of the same keys, in order.
                for group in _same_keys(rows):
                    self.db[table].upsert_all(group, pk=schema.pk(table), alter=True)
        self.buffers.clear()

    def update_columns(self, site_code: str) -> None:
        """Derive each column's counts and newest date (on or before T) from its stored entries."""
        with self.db.conn:
            self.db.execute(
                """
                UPDATE columns SET
                  entries = (SELECT count(*) FROM entries e WHERE e.run_id = columns.run_id
                             AND e.site_code = columns.site_code AND e.column_url = columns.url),
                  dated_entries = (SELECT count(e.date) FROM entries e WHERE e.run_id = columns.run_id
                             AND e.site_code = columns.site_code AND e.column_url = columns.url),
                  future_entries = (SELECT count(*) FROM entries e WHERE e.run_id = columns.run_id
                             AND e.site_code = columns.site_code AND e.column_url = columns.url AND e.date > :as_of),
                  newest_date = (SELECT max(e.date) FROM entries e WHERE e.run_id = columns.run_id
                             AND e.site_code = columns.site_code AND e.column_url = columns.url AND e.date <= :as_of)
                WHERE run_id = :run AND site_code = :site
                """,
                {"as_of": self.as_of, "run": self.run_id, "site": site_code},
            )
            # entries from any page of the column (later list pages, a JSON endpoint, the browser) show it was read
            # (unless no entry is dated and the sampled article pages could not be read: undated)
            self.db.execute("UPDATE columns SET read_state = 'listed', read_reason = NULL "
                            "WHERE run_id = ? AND site_code = ? AND role = 'column' AND entries > 0 "
                            "AND (dated_entries > 0 OR coalesce(read_state, '') != 'undated')",
                            [self.run_id, site_code])

    def store_requests(self, update: dict) -> None:
        """The run's requests per purpose so far (kept at every finished site, so an interrupted run has them)."""
        counts = added([self.earlier_requests, requests_by_purpose(self.crawler.stats.get_stats())])
        with self.db.conn:
            self.db["runs"].update(self.run_id, {**update, "requests_by_purpose": json.dumps(counts)})

    def spider_closed(self, spider=None, reason="finished"):
        if self.db is None:
            return
        self.flush()
        status = "finished" if reason == "finished" else "interrupted"
        self.store_requests({"finished_at": utc_now(), "status": status})
        self.db.conn.close()
        self.db = None


def _same_keys(rows: list[dict]):
    """Consecutive runs of rows with the same keys (order kept, so a later update lands after its row)."""
    group: list[dict] = []
    for row in rows:
        if group and row.keys() != group[0].keys():
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def _cell(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
