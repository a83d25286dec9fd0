"""SQLite storage: runs never overwrite each other; partial items merge into their rows; column dates derive from entries."""
import json
from datetime import date
from types import SimpleNamespace

import sqlite_utils

from govcrawl.crawlrun import CrawlRun, register
from pipelines.storage import StoragePipeline


def fake_run(run_id, as_of="2019-06-10") -> CrawlRun:
    run = CrawlRun(run_id, date.fromisoformat(as_of))
    run.describe = lambda: {"run_id": run_id, "spider": "provincial", "as_of": as_of, "registry": "r.csv", "sites": 1}
    return run


def run(path, run_id, items, batch_size=2, stats=None):
    pipeline = StoragePipeline(str(path), batch_size)
    pipeline.crawler = SimpleNamespace(stats=SimpleNamespace(get_stats=lambda: stats or {}))
    register(pipeline.crawler, fake_run(run_id))
    pipeline.open_spider()
    for item in items:
        pipeline.process_item(item)
    pipeline.spider_closed(reason="finished")


ITEMS = [
    {"type": "column", "site_code": "4300000017", "url": "http://a/tzgg/", "name": "通知公告", "role": "column"},
    {"type": "entry", "site_code": "4300000017", "column_url": "http://a/tzgg/", "url": "http://a/1.html",
     "title": "一", "date": None, "date_source": "none"},
    {"type": "entry", "site_code": "4300000017", "column_url": "http://a/tzgg/", "url": "http://a/2.html",
     "title": "二", "date": "2019-05-01", "date_source": "list"},
    {"type": "entry", "site_code": "4300000017", "column_url": "http://a/tzgg/", "url": "http://a/3.html",
     "title": "三", "date": "2019-07-01", "date_source": "list"},
    # the article page of entry 1 gives its date later: it fills in that row only
    {"type": "entry", "site_code": "4300000017", "column_url": "http://a/tzgg/", "url": "http://a/1.html",
     "date": "2019-06-01", "date_source": "article:meta:PubDate"},
    {"type": "column", "site_code": "4300000017", "url": "http://a/tzgg/", "pages": 3},
    {"type": "site_done", "site_code": "4300000017"},
]


def test_partial_items_merge_and_column_dates_derive(tmp_path):
    db_path = tmp_path / "g.db"
    run(db_path, "r1", ITEMS)
    db = sqlite_utils.Database(db_path)
    entry = db["entries"].get(("r1", "4300000017", "http://a/tzgg/", "http://a/1.html"))
    assert entry["title"] == "一" and entry["date"] == "2019-06-01" and entry["date_source"] == "article:meta:PubDate"
    column = db["columns"].get(("r1", "4300000017", "http://a/tzgg/"))
    assert column["name"] == "通知公告" and column["pages"] == 3
    assert (column["entries"], column["dated_entries"], column["future_entries"]) == (3, 3, 1)
    assert column["newest_date"] == "2019-06-01"  # the future-dated entry is not an update
    assert db.journal_mode == "wal"


def test_a_new_run_never_overwrites_an_earlier_one(tmp_path):
    db_path = tmp_path / "g.db"
    run(db_path, "r1", ITEMS)
    run(db_path, "r2", ITEMS[:1] + [ITEMS[-1]])
    db = sqlite_utils.Database(db_path)
    assert [r["run_id"] for r in db.query("select run_id from runs order by run_id")] == ["r1", "r2"]
    assert db["entries"].count_where("run_id = 'r1'") == 3
    assert db["columns"].get(("r2", "4300000017", "http://a/tzgg/"))["entries"] == 0
    assert {r["status"] for r in db["runs"].rows} == {"finished"}


def test_requests_by_purpose_are_stored_and_add_up_over_a_resumed_run(tmp_path):
    db_path = tmp_path / "g.db"
    stats = {"govcrawl/requests/column": 5, "govcrawl/requests/list_page": 2, "govcrawl/rendered_requests": 9,
             "downloader/request_count": 30}
    run(db_path, "r1", ITEMS, stats=stats)
    stored = sqlite_utils.Database(db_path)["runs"].get("r1")["requests_by_purpose"]
    assert json.loads(stored) == {"column": 5, "list_page": 2}
    run(db_path, "r1", ITEMS, stats={"govcrawl/requests/column": 1, "govcrawl/requests/render": 3})  # resumed
    stored = sqlite_utils.Database(db_path)["runs"].get("r1")["requests_by_purpose"]
    assert json.loads(stored) == {"column": 6, "list_page": 2, "render": 3}
