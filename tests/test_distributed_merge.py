"""govcrawl merge takes each site only from the copy whose lease Redis acknowledged."""
from __future__ import annotations

import json
from datetime import date

import pytest
import redis
import sqlite_utils

from govcrawl.distributed.keys import RunKeys
from govcrawl.distributed.localdb import LocalDB
from govcrawl.distributed.merge import MergeError, merge
from govcrawl.distributed.redisproc import RedisProcess
from govcrawl.distributed.seeding import seed_run
from govcrawl.registry import Site
from pipelines.storage import open_db

RUN = "merge-test"
SITES = [Site("1", "甲", "省直", "http://a.gov.cn/"), Site("2", "乙", "省直", "http://b.gov.cn/")]


@pytest.fixture(scope="module")
def server():
    with RedisProcess() as proc:
        client = redis.Redis.from_url(proc.url)
        seed_run(client, RUN, "registry.csv", date(2019, 6, 10), SITES, [])
        yield client


def worker_db(path, copies: dict[str, tuple[str, str]]) -> str:
    """A worker database holding, per site, a copy (its final_url) stored under a lease token."""
    db = open_db(str(path))
    db["runs"].insert({"run_id": RUN, "as_of": "2019-06-10", "started_at": "2026-01-01T00:00:00"}, pk="run_id")
    for code, (final_url, lease) in copies.items():
        db["sites"].insert({"run_id": RUN, "site_code": code, "final_url": final_url}, pk=("run_id", "site_code"))
        db["findings"].insert({"run_id": RUN, "site_code": code, "indicator": "x", "detail": final_url})
        if lease:
            LocalDB(str(path)).record_ack(RUN, code, lease, "w")
    db.conn.close()
    return str(path)


def test_only_the_acknowledged_copy_of_each_site_is_merged(server, tmp_path):
    killed = worker_db(tmp_path / "killed.db", {"1": ("http://partial/", "w1.1"), "2": ("http://half/", None)})
    again = worker_db(tmp_path / "again.db", {"1": ("http://complete/", "w2.5")})
    other = worker_db(tmp_path / "other.db", {"2": ("http://b-complete/", "w3.2")})
    done = RunKeys(RUN).done
    server.hset(done, mapping={"1": json.dumps({"lease": "w2.5"}), "2": json.dumps({"lease": "w3.2"})})
    out = tmp_path / "final.db"
    result = merge(server, RUN, [killed, again, other], str(out))
    assert result.sites == 2 and result.sources == {again: 1, other: 1}
    final = sqlite_utils.Database(out)
    assert sorted((r["site_code"], r["final_url"]) for r in final["sites"].rows) == [
        ("1", "http://complete/"), ("2", "http://b-complete/")]
    assert sorted(r["detail"] for r in final["findings"].rows) == ["http://b-complete/", "http://complete/"]
    assert final["runs"].get(RUN)["sites"] == 2
    merge(server, RUN, [killed, again, other], str(out))   # merging again replaces, never duplicates
    assert final["findings"].count == 2


def test_a_site_without_an_acknowledged_copy_stops_the_merge_unless_partial(server, tmp_path):
    server.hset(RunKeys(RUN).done, mapping={"1": json.dumps({"lease": "w2.5"}), "2": json.dumps({"lease": "gone"})})
    only = worker_db(tmp_path / "w.db", {"1": ("http://complete/", "w2.5"), "2": ("http://stale/", "old")})
    with pytest.raises(MergeError, match="1 sites have no acknowledged copy"):
        merge(server, RUN, [only], str(tmp_path / "final.db"))
    result = merge(server, RUN, [only], str(tmp_path / "final.db"), partial=True)
    assert result.missing == ["2"] and result.sites == 1
    assert sqlite_utils.Database(tmp_path / "final.db")["runs"].get(RUN)["status"] == "incomplete"
