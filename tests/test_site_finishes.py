"""A site always finishes (issue 14 point 2): one request of every kind is lost (tests/faults.py injects what Scrapy
does not do by itself here), one site at a time, and the crawl still ends with every registry site in `sites`."""
import json

import pytest
import sqlite_utils

from tests.conftest import crawl
from tests.hostile import HOST, Writer, page, site_home

LONG = "/" + "x" * 2100 + ".html"
SITES = {  # key: (site code, the column that is lost)
    "whole": ("4398000001", None),
    "urllength": ("4398000002", LONG),
    "robots": ("4398000003", "/fault-robots/"),
    "dupe": ("4398000004", "/fault-dupe/"),
    "hang": ("4398000005", "/fault-hang/"),
    "filter": ("4398000006", "/fault-filter/"),
    "callback": ("4398000007", "/fault-callback/"),
    "homepage": ("4398000008", None),
}
HOMEPAGE_LOST = "http://homepage.fault.gov.cn/fault-dupe/"


def host(key):
    return f"{key}.fault.gov.cn"


def build(root):
    w = Writer(root)
    rows = ["site_code,name,unit,url,kind,services"]
    for key, (code, lost) in SITES.items():
        url = HOMEPAGE_LOST if key == "homepage" else f"http://{host(key)}/"
        rows.append(f"{code},{key}测试网站,省直,{url},department,no")
        columns = [("工作动态", "/gzdt/")] + ([("通知公告", lost)] if lost else [])
        HOST.setdefault(key, host(key))   # site_home writes to hostile.HOST[key]
        site_home(w, key, columns)
        w.file(host(key), "/gzdt/", page("工作动态", "<ul class='list'><li><a href='/gzdt/1.html'>"
                                         "市政府召开常务会议研究部署安全生产工作</a><span>2019-06-05</span></li></ul>"))
        if lost and lost != LONG:
            w.file(host(key), lost, page("通知公告", "<p>x</p>"))
    w.file(host("robots"), "/robots.txt", "User-agent: *\nDisallow: /fault-robots/\n")
    w.file(host("homepage"), "/fault-dupe/", page("homepage", "<p>x</p>"))
    rows.append(f"4398000009,too-long测试网站,省直,http://long.fault.gov.cn{LONG},department,no")
    (root / "registry.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({"responses": w.manifest}), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    root = build(tmp_path_factory.mktemp("faults"))
    db = root / "crawl.db"
    result = crawl(db, "-a", "run=f", "-s", "GOVCRAWL_RENDER=0", "-s", "GOVCRAWL_SITES_IN_FLIGHT=1",
                   "-s", "GOVCRAWL_SITE_TIMEOUT=4", "-s", "ROBOTSTXT_OBEY=1", "-s", "GOVCRAWL_SCREENSHOTS=0",
                   "-s", 'SPIDER_MIDDLEWARES={"tests.faults.DropInSpiderOutput": 900}',
                   "-s", 'DOWNLOADER_MIDDLEWARES={"tests.faults.HangOrExplode": 950}',
                   fixtures=root, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(db), result.stderr


def site(db, key):
    return db["sites"].get(("f", SITES[key][0]))


def lost_links(db, key):
    return {r["url"]: r["reason"] for r in db.query("select url, reason from links where run_id='f' and site_code=? "
                                                    "and kind='lost'", [SITES[key][0]])}


def test_the_crawl_ends_with_every_registry_site_judged(faulty):
    db, log = faulty
    judged = {r["site_code"] for r in db.query("select site_code from sites where run_id='f' and judged_at is not null")}
    assert judged == {code for code, _ in SITES.values()}
    assert "too-long" not in json.dumps(list(db["sites"].rows))


def test_a_registry_url_too_long_for_browsers_is_a_row_error(faulty):
    db, _ = faulty
    problems = json.loads(db["runs"].get("f")["registry_problems"])
    assert any("2083" in p and "registry.csv:10:" in p for p in problems), problems


@pytest.mark.parametrize("key, reason", [("urllength", "URLLENGTH_LIMIT"), ("dupe", "duplicate filter"),
                                         ("filter", "spider middleware"), ("callback", "injected failure")])
def test_a_dropped_request_is_recorded_and_its_site_completes(faulty, key, reason):
    db, _ = faulty
    lost = lost_links(db, key)
    assert len(lost) == 1 and reason in next(iter(lost.values())), lost
    assert site(db, key)["status"] == "complete"


def test_a_request_robots_refuses_is_recorded_as_lost_never_as_broken(faulty):
    db, _ = faulty
    assert site(db, "robots")["status"] == "complete" and site(db, "robots")["judged_at"]
    lost = lost_links(db, "robots")
    assert list(lost) == ["http://robots.fault.gov.cn/fault-robots/"] and "robots.txt" in lost[list(lost)[0]]
    broken = db.query("select url from links where run_id='f' and site_code=? and kind='broken'", [SITES["robots"][0]])
    assert "http://robots.fault.gov.cn/fault-robots/" not in {r["url"] for r in broken}


def test_a_lost_homepage_is_an_unreachable_site_with_the_reason(faulty):
    db, _ = faulty
    s = site(db, "homepage")
    assert s["status"] == "unreachable" and "duplicate filter" in s["status_reason"]
    (fetch,) = db.query("select error from fetches where run_id='f' and site_code=?", [SITES["homepage"][0]])
    assert "duplicate filter" in fetch["error"]


def test_a_site_whose_request_never_returns_is_finalised_incomplete_with_what_is_open(faulty):
    db, log = faulty
    s = site(db, "hang")
    assert s["status"] == "incomplete" and s["passed"] is None
    assert "GOVCRAWL_SITE_TIMEOUT" in s["status_reason"] and "/fault-hang/" in s["status_reason"]
    # the window of one site moved on: the sites after it were crawled
    assert log.index(f"site {SITES['hang'][0]} stalled") < log.index(f"judged {SITES['callback'][0]}")
