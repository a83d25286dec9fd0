"""A hostile web: broken encodings, huge pages, frames, attachments, traps, redirect loops, network faults, WAFs.

One crawl of tests/hostile.py's province; each test checks the defined behaviour of one case.
"""
import json

import pytest
import sqlite_utils

from tests.conftest import crawl
from tests.hostile import CODE, HOST, TITLES, build


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = build(tmp_path_factory.mktemp("hostile"))
    db = root / "crawl.db"
    result = crawl(db, "-a", "run=h", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1", "-s", "GOVCRAWL_RENDER=0",
                   fixtures=root)
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(db), result.stderr


def site(db, key):
    return db["sites"].get(("h", CODE[key]))


def entries(db, key):
    return list(db.query("select * from entries where run_id = 'h' and site_code = ?", [CODE[key]]))


def columns(db, key):
    return {c["url"]: c for c in db.query("select * from columns where run_id='h' and site_code=? and role='column'",
                                          [CODE[key]])}


def codes(db, key):
    return {r["indicator"] for r in db.query("select indicator from findings where run_id='h' and site_code=?", [CODE[key]])}


def test_every_site_is_finished_and_judged(hostile):
    db, log = hostile
    assert db["sites"].count_where("run_id = 'h' and judged_at is not null") == len(CODE)
    assert "Traceback" not in log


@pytest.mark.parametrize("key", ["enc", "mixed"])
def test_titles_and_dates_read_right_whatever_the_charset(hostile, key):
    db, _ = hostile
    listed = [e for e in entries(db, key) if e["column_url"] != f"http://{HOST[key]}/"]
    assert listed and all(e["title"] == TITLES[2] for e in listed), listed
    assert {e["date"] for e in listed} <= {"2019-06-03", "2019-06-02"}
    assert len(listed) == (4 if key == "enc" else 1)


def test_a_huge_page_is_cut_and_still_read(hostile):
    db, _ = hostile
    (column,) = columns(db, "big").values()
    assert column["truncated"] == 1 and column["newest_date"] == "2019-06-04"


def test_frames_base_href_and_paths_past_the_root(hostile):
    db, _ = hostile
    urls = set(columns(db, "frames"))
    assert {"http://frames.hostile.gov.cn/sub/gzdt/", "http://frames.hostile.gov.cn/tzgg/"} <= urls
    assert columns(db, "frames")["http://frames.hostile.gov.cn/sub/gzdt/"]["newest_date"] == "2019-06-06"


def test_attachments_are_recorded_never_fetched_and_other_schemes_ignored(hostile):
    db, _ = hostile
    links = list(db.query("select url, kind from links where run_id='h' and site_code=?", [CODE["attach"]]))
    assert ("http://attach.hostile.gov.cn/files/d.pdf", "attachment") in {(l["url"], l["kind"]) for l in links}
    # no attachment was requested: none has a fixture, so a request would have recorded it as broken
    assert not [l for l in links if l["kind"] == "broken" and "/files/" in l["url"]]
    listed = {e["url"] for e in entries(db, "attach")}
    assert {"http://attach.hostile.gov.cn/files/a.pdf", "http://attach.hostile.gov.cn/files/c.XLS?v=2"} <= listed
    assert not any(u.startswith(("ftp:", "file:", "data:")) for u in (l["url"] for l in links))


def test_traps_are_bounded_and_the_newest_date_still_found(hostile):
    db, _ = hostile
    cols = columns(db, "trap")
    gzdt = [c for url, c in cols.items() if "/gzdt/" in url]
    assert len(gzdt) == 1, "session ids must not make two columns of one"
    assert gzdt[0]["newest_date"] == "2019-06-07" and gzdt[0]["pages"] <= 5
    assert site(db, "trap")["requests"] < 80


@pytest.mark.parametrize("key", ["loop", "chain"])
def test_redirect_loops_and_long_chains_are_recorded_and_bounded(hostile, key):
    db, _ = hostile
    attempts = list(db.query("select * from fetches where run_id='h' and site_code=?", [CODE[key]]))
    assert len(attempts) == 3 and all(a["error"] and "redirect" in a["error"].lower() for a in attempts), attempts
    assert "site_unreachable" in codes(db, key)


@pytest.mark.parametrize("key, error", [("timeout", "timeout"), ("reset", "connection"), ("e500", None),
                                        ("errpage", "error page")])
def test_network_faults_are_retried_recorded_per_attempt_and_judged_by_the_rule(hostile, key, error):
    db, _ = hostile
    attempts = list(db.query("select * from fetches where run_id='h' and site_code=? order by attempt", [CODE[key]]))
    assert [a["attempt"] for a in attempts] == [1, 2, 3]
    if error:
        assert all(error in (a["error"] or "").lower() for a in attempts), attempts
    else:
        assert {a["status"] for a in attempts} == {500}
    assert codes(db, key) == {"site_unreachable"}
    assert site(db, key)["passed"] == 0 and site(db, key)["status"] == "unreachable"


@pytest.mark.parametrize("key", ["waf", "forbidden"])
def test_a_site_that_could_not_be_read_is_incomplete_never_passed_or_failed_on_missing_data(hostile, key):
    db, _ = hostile
    row = site(db, key)
    assert row["status"] == "incomplete" and row["status_reason"]
    assert row["passed"] is None
    assert not codes(db, key) & {"columns_not_updated", "columns_long_stale", "blank_columns"}
    assert all(c["blocked"] for c in columns(db, key).values())


def test_the_run_records_its_settings(hostile):
    db, _ = hostile
    settings = json.loads(db["runs"].get("h")["settings"])
    assert settings["GOVCRAWL_MAX_PAGE_BYTES"] == 5 * 1024 * 1024


@pytest.mark.parametrize("key, label", [("tls-ok", None), ("tls-expired", "证书已过期"), ("tls-self", "证书签发机构不受信任"),
                                        ("tls-host", "证书与域名不符")])
def test_a_broken_certificate_is_a_review_finding_and_the_site_is_still_inspected(hostile, key, label):
    db, _ = hostile
    row = site(db, key)
    assert row["reachable"] == 1 and row["status"] == "complete" and "site_unreachable" not in codes(db, key)
    assert columns(db, key)[f"https://{HOST[key]}/gzdt/"]["newest_date"] == "2019-06-06"
    if label is None:
        assert row["tls_problem"] is None and "tls_invalid" not in codes(db, key)
    else:
        assert label in row["tls_problem"] and "tls_invalid" in codes(db, key)
