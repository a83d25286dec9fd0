"""List pages after the first are read only when page 1 does not settle the column (govcrawl/listpaging.py)."""
from __future__ import annotations

import datetime
import json
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from govcrawl.dates import DateParser
from govcrawl.extract.page import Page
from govcrawl.listpaging import HANDFUL, further_pages_reason, pinned_prefix
from govcrawl.shapes import read_listing
from tests.conftest import crawl
from tests.hostile import Writer, nav, page
from tests.shape_cases import load_case
from tests.test_listing import SHAPES_CASE

AS_OF = date(2019, 6, 10)


def days(*values: str | None) -> list[date | None]:
    return [date.fromisoformat(v) if v else None for v in values]


NEWEST_FIRST = days("2019-06-06", "2019-06-03", "2019-05-30", "2019-05-30", "2019-05-21", "2019-05-02")


@pytest.mark.parametrize("dates, pages_read, reason", [
    (NEWEST_FIRST, 1, None),                                                  # the newest date is on page 1
    (NEWEST_FIRST[:HANDFUL - 1], 1, "few-dated"),                             # a short page says too little
    ([None] * 20, 1, "few-dated"),                                            # an undated list
    (days("2019-07-01", "2019-06-30", "2019-06-20") + NEWEST_FIRST[:3], 1, "few-dated"),  # mostly after T
    (days("2019-07-01", "2019-06-30") + NEWEST_FIRST, 1, None),               # after T first: still newest first
    (list(reversed(NEWEST_FIRST)), 1, "unsorted"),                            # oldest first
    (days("2019-05-30", "2019-06-06", "2019-05-02", "2019-06-03", "2019-05-21", "2019-05-30"), 1, "unsorted"),
    (days("2016-03-01", "2017-09-12") + NEWEST_FIRST, 1, "pinned"),           # 置顶 entries older than the rest
    (days("2016-03-01", "2017-09-12") + NEWEST_FIRST + NEWEST_FIRST[-1:], 2, None),  # page 2 read: set aside
    (days("2016-03-01") + NEWEST_FIRST[:3], 2, "few-dated"),                  # pinned set aside, too few left
    (days(None, "2019-06-06", None, "2019-06-03", "2019-05-30", None, "2019-05-21", "2019-05-02"), 1, None),
])
def test_page_one_settles_a_column_or_says_why_not(dates, pages_read, reason):
    assert further_pages_reason(dates, AS_OF, pages_read) == reason


def test_pinned_entries_need_a_list_after_them():
    assert pinned_prefix(days("2016-01-01", "2019-06-01", "2019-05-01")) == 1
    assert pinned_prefix(days("2016-01-01", "2019-06-01")) == 0      # two entries in any order prove nothing
    assert pinned_prefix(NEWEST_FIRST) == 0


def list_page(rows: list[tuple[str, str]], pager: str, first: int = 0) -> str:
    """A TRS-style column page (tests/pages/shapes/trs/trs_raw_server's shape) with these (title, date) rows, their
    articles numbered from `first`."""
    items = "".join(f'<li><a href="./201906/t20190601_{i}.html" title="{t}">{t}</a><span>{d}</span></li>'
                    for i, (t, d) in enumerate(rows, first))
    return (f'<html><body><div class="nav"><a href="/">首页</a></div><div class="list"><ul>{items}</ul></div>'
            f'<script>createPageHTML({pager}, 0, "index", "html");</script></body></html>')


TITLES = ["关于开展安全生产检查的通知", "全省政务公开工作会议召开", "关于公布行政许可事项清单的公告",
          "2019年第一季度统计数据发布", "关于征求意见的公告", "市政府常务会议研究部署重点工作", "关于调整收费标准的通知"]


@pytest.mark.parametrize("dates, reason", [
    (["2019-06-06", "2019-06-03", "2019-05-30", "2019-05-21", "2019-05-02", "2019-04-28", "2019-04-11"], None),
    (["2017-01-05", "2019-06-06", "2019-06-03", "2019-05-30", "2019-05-21", "2019-05-02", "2019-04-28"], "pinned"),
    (["2019-04-11", "2019-04-28", "2019-05-02", "2019-05-21", "2019-05-30", "2019-06-03", "2019-06-06"], "unsorted"),
])
def test_on_a_list_page_as_extracted(dates, reason):
    page = Page("http://tjj.example.gov.cn/tjxx/index.html", list_page(list(zip(TITLES, dates)), "5"))
    listing = read_listing(page, DateParser(AS_OF))
    assert [e.date.isoformat() for e in listing.entries] == dates
    assert further_pages_reason([e.date for e in listing.entries], AS_OF) == reason


@pytest.mark.parametrize("case, reason", [
    ("hanweb_dingxi_column_page", None),    # eight entries newest first: its pager is not followed
    ("hunan_container_first", "few-dated"),  # three entries (a saved page cut short): page 2 is read
])
def test_on_saved_list_pages(case, reason):
    page, spec = load_case(SHAPES_CASE[case])
    as_of = datetime.date.fromisoformat(spec["as_of"])
    listing = read_listing(page, DateParser(as_of))
    assert spec["next_pages"] and further_pages_reason([e.date for e in listing.entries], as_of) == reason


LIST_HOST, LIST_CODE = "tjj.paging.gov.cn", "4397000002"
PAGE_ONE = ["2019-06-06", "2019-06-03", "2019-05-30", "2019-05-21", "2019-05-02", "2019-04-28", "2019-04-11"]
PAGE_TWO = ["2019-04-02", "2019-03-20", "2019-03-11", "2019-02-27", "2019-02-14", "2019-01-30", "2019-01-08"]


def paged_site(root: Path) -> Path:
    """One site whose column 统计信息 has three TRS list pages, seven entries newest first on each (and a column
    of one page beside it)."""
    w = Writer(root)
    w.file(LIST_HOST, "/", page("统计局测试网站", nav([("统计信息", "/tjxx/"), ("工作动态", "/gzdt/")])
                                + "<div class='main'><p>欢迎访问</p></div>"))
    w.file(LIST_HOST, "/gzdt/", list_page(list(zip(TITLES, PAGE_ONE)), "1"))
    w.file(LIST_HOST, "/tjxx/", list_page(list(zip(TITLES, PAGE_ONE)), "3"))
    w.file(LIST_HOST, "/tjxx/index_1.html", list_page(list(zip(TITLES, PAGE_TWO)), "3", 7))
    w.file(LIST_HOST, "/tjxx/index_2.html", list_page(list(zip(TITLES, ["2018-12-01"] * 7)), "3", 14))
    (root / "registry.csv").write_text("site_code,name,unit,url,kind,services\n"
                                       f"{LIST_CODE},统计局测试网站,省直,http://{LIST_HOST}/,department,no\n",
                                       encoding="utf-8")
    (root / "manifest.json").write_text('{"responses": {}}', encoding="utf-8")
    return root


def list_pages_read(root: Path, run: str, *settings: str) -> tuple[int, str]:
    result = crawl(root / f"{run}.db", "-a", f"run={run}", "-s", "GOVCRAWL_RENDER=0",
                   *[x for s in settings for x in ("-s", s)], fixtures=root)
    assert result.returncode == 0, result.stderr[-3000:]
    db = sqlite_utils.Database(root / f"{run}.db")
    purposes = json.loads(db["runs"].get(run)["requests_by_purpose"])
    newest = db.execute("select newest_date from columns where run_id = ? and url = ?",
                        [run, f"http://{LIST_HOST}/tjxx/"]).fetchone()[0]
    return purposes.get("list_page", 0), newest


def test_the_settling_entries_setting_decides_how_far_a_crawl_reads(tmp_path):
    root = paged_site(tmp_path / "site")
    assert list_pages_read(root, "default") == (0, "2019-06-06")          # seven newest first: page 1 settles it
    assert list_pages_read(root, "ten", "GOVCRAWL_SETTLING_ENTRIES=10") == (1, "2019-06-06")   # 7, then 14


def test_a_settling_entries_setting_below_one_is_refused(tmp_path):
    result = crawl(tmp_path / "x.db", "-s", "GOVCRAWL_SETTLING_ENTRIES=0", fixtures=paged_site(tmp_path / "site"))
    assert result.returncode != 0 and "GOVCRAWL_SETTLING_ENTRIES=0: it must be 1 or more" in result.stderr
