"""End to end with the real browser: the demo's script-driven sites are judged on their real entries, only the pages
that need it are rendered, and a crawl that renders nothing never starts Chromium."""
import json
import re

import pytest
import sqlite_utils

from conftest import DEMO, crawl
from govcrawl.scope import normalize_url

JS_SITES = ["4301000041", "4307000042", "4309000043", "4312000044"]


def stats(stderr: str) -> dict:
    return {k: int(v) for k, v in re.findall(r"'((?:govcrawl|playwright|downloader)/[^']+)': (\d+)", stderr)}


@pytest.fixture(scope="module")
def js_crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("js") / "js.db"
    result = crawl(db, "-a", "run=js", "-a", "sites=" + ",".join(JS_SITES))
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(db), stats(result.stderr)


def test_script_columns_carry_their_real_dates(js_crawl):
    db, _ = js_crawl
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["sites"]
    stored = {(r["site_code"], normalize_url(r["url"])): r["newest_date"]
              for r in db.query("select * from columns where run_id = 'js' and role = 'column'")}
    for code in JS_SITES:
        for url, column in truth[code]["columns"].items():
            assert stored.get((code, normalize_url(url))) == column["newest_date"], (code, column["name"])


def test_findings_equal_truth(js_crawl):
    db, _ = js_crawl
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["sites"]
    for code in JS_SITES:
        got = sorted(r["indicator"] for r in db.query(
            "select indicator from findings where run_id = 'js' and site_code = ? and veto = 1", [code]))
        assert got == sorted(truth[code]["findings"]), code
        site = db["sites"].get(("js", code))
        assert normalize_url(site["final_url"]) == normalize_url(truth[code]["final_url"])


def test_gbk_titles_survive_rendering(js_crawl):
    db, _ = js_crawl
    titles = [r["title"] for r in db.query("select title from entries where run_id = 'js' and site_code = '4312000044'")]
    assert titles and all(re.search(r"[\u4e00-\u9fff]", t) and not re.search(r"[À-ÿ]{2}", t) for t in titles)


def test_only_what_needs_it_is_rendered(js_crawl):
    _, s = js_crawl
    # 2 jpage columns, 1 computed-URL ajax column, 1 script-built GBK list, 1 computed homepage redirect
    assert s["govcrawl/rendered_requests"] == 5
    assert s["govcrawl/render/ajax-jpage"] == 2 and s["govcrawl/render/js-redirect"] == 1
    assert s["govcrawl/json_endpoint"] == 1      # the literal TrueCMS URL is fetched without the browser
    assert s["govcrawl/rendered_requests"] * 5 < s["downloader/request_count"]  # even on these 4 sites: few pages


def test_no_browser_when_nothing_needs_rendering(tmp_path):
    result = crawl(tmp_path / "plain.db", "-a", "run=plain", "-a", "sites=4304000012", "-s", "GOVCRAWL_SCREENSHOTS=0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Launching browser" not in result.stderr and "playwright/browser_count" not in result.stderr
    assert "govcrawl/rendered_requests" not in result.stderr
