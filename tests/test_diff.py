"""Re-check view: the demo crawled again after two sites changed, into the same database."""
import datetime
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from conftest import DEMO, crawl
from govcrawl.cli import main
from govcrawl.report.diff import diff_runs

FIXED = ("4307000010", "homepage_not_updated")   # 常德市教育局 publishes on its homepage again
NEW = ("4304000012", "homepage_not_updated")     # 衡阳市统计局's homepage stops being updated


def _shift_dates(text: str, days: int) -> str:
    return re.sub(r"\d{4}-\d\d-\d\d",
                  lambda m: (datetime.date.fromisoformat(m.group()) + datetime.timedelta(days=days)).isoformat(), text)


@pytest.fixture(scope="module")
def two_runs(demo_db, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("recheck")
    fixtures = tmp / "demo"
    shutil.copytree(DEMO, fixtures)
    home = fixtures / "hosts" / "jyj.changde.gov.cn" / "index.html"
    html = home.read_text(encoding="utf-8")
    assert "[2019-05-20]" in html
    home.write_text(html.replace("[2019-05-20]", "[2019-06-05]"), encoding="utf-8")   # list date only, not the URL
    home = fixtures / "hosts" / "tjj.hengyang.gov.cn" / "index.html"
    home.write_text(_shift_dates(home.read_text(encoding="utf-8"), -45), encoding="utf-8")
    db = tmp / "both.db"
    with sqlite3.connect(demo_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    result = crawl(db, "-a", "run=recheck", fixtures=fixtures)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


def test_exactly_the_changed_findings(two_runs):
    diff = diff_runs(sqlite_utils.Database(two_runs), "demo", "recheck")
    assert diff.pairs("fixed") == {FIXED}
    assert diff.pairs("new") == {NEW}
    assert diff.pairs("unverified") == set()
    assert diff.counts["open"] == len(diff.pairs("open")) > 10
    site = next(s for s in diff.sites if s.site_code == FIXED[0])
    assert (site.passed_a, site.passed_b) == (False, True)


def test_unreachable_in_the_recheck_is_not_a_fix(two_runs, tmp_path):
    db = tmp_path / "u.db"
    with sqlite3.connect(two_runs) as a, sqlite3.connect(db) as b:
        a.backup(b)
        b.execute("delete from findings where run_id = 'recheck' and site_code = '4300000047'")
        b.execute("insert into findings (run_id, site_code, indicator, veto, detail) "
                  "values ('recheck', '4300000047', 'site_unreachable', 1, '')")
    diff = diff_runs(sqlite_utils.Database(db), "demo", "recheck")
    assert {("4300000047", "columns_long_stale"), ("4300000047", "letters_unanswered")} <= diff.pairs("unverified")
    assert ("4300000047", "site_unreachable") in diff.pairs("new")


def test_cli_table_and_report_section(two_runs, tmp_path, capsys):
    out = tmp_path / "recheck.md"
    assert main(["diff", "demo", "recheck", "--db", str(two_runs), "--format", "md", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"4307000010 +常德市教育局 +常德市 +已整改 +首页不更新", printed)
    assert re.search(r"4304000012 +衡阳市统计局 +衡阳市 +新发现 +首页不更新", printed)
    assert "已整改1项" in printed and "新发现1项" in printed
    md = out.read_text(encoding="utf-8")
    assert "## 复核情况" in md and "| 4304000012 | 衡阳市统计局 | 衡阳市 | 新发现 |" in md
    assert "## 附件1 全省政府网站检查情况" in md          # run B's report carries the section
    assert main(["diff", "demo", "nope", "--db", str(two_runs)]) == 2
