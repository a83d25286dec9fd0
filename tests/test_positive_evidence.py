"""Positive evidence: the empty-state reader on saved pages (tests/pages/shapes/*/empty_*/, replayed by
tests/test_shapes.py, and tests/pages/empty/<case>/), and what the rules make of a column, channel or homepage that could not be read (undecided,
never a finding; the site incomplete)."""
from __future__ import annotations

import datetime
import json

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.emptystate import (
    CONTENT, DECLARED_EMPTY, EMPTY, LISTED, UNREAD, json_declared_empty, list_page_state, read_empty_state,
)
from govcrawl.extract.page import Page
from govcrawl.rules import (
    ChannelFact, ColumnFacts, EntryFact, RuleSettings, SiteFacts, VETO_CODES, judge_site, judge_site_fully,
)
from govcrawl.shapes import read_listing
from tests.shape_cases import as_of, case_id, load_case, replay_saved, saved_case, saved_cases, shape_cases

AS_OF = datetime.date(2019, 6, 10)
URL = "http://www.example.gov.cn/zwgk/lm/index.html"


EMPTY_CASES = {case.name.removeprefix("empty_"): case for case in shape_cases(having="state")}  # replayed in test_shapes


def state_of(name: str, rendered: bool = False):
    page = Page(URL, load_case(EMPTY_CASES[name.removesuffix(".html")])[0].text)
    return list_page_state(page, read_listing(page, DateParser(AS_OF)), rendered)


def read_empty_evidence(page: Page, spec: dict) -> dict:
    """Dated entries a page gives and whether a script fills it; how it reads were a blank wording on it."""
    from govcrawl.render import script_filled

    entries = read_listing(page, DateParser(as_of(spec))).entries
    return {"dated_entries": len([e for e in entries if e.date]), "script_filled": script_filled(page, True),
            "with_blank_wording": read_empty_state(page, "暂无信息", None)}


@pytest.mark.parametrize("case", saved_cases("empty"), ids=case_id)
def test_saved_pages(case):
    got, expected = replay_saved(case, read_empty_evidence)
    assert got == expected


def test_only_a_declared_or_shown_empty_state_carries_a_blank_marker():
    assert state_of("trs_nodata_marker.html").marker == "暂无信息"
    assert state_of("hanweb_empty_datastore.html").marker == DECLARED_EMPTY
    assert state_of("trs_empty_list.html").marker is None  # a reference column is not blank on a container alone


def test_a_rendered_page_is_read_as_the_browser_left_it():
    assert state_of("script_filled_list.html", rendered=True).state == EMPTY  # the script ran and wrote nothing


def test_a_page_with_content_links_is_never_empty():
    """Hand-edited markup: whatever the list extractor makes of it, the page is listed or unread, never blank."""
    page, spec = load_case(saved_case("empty", "sloppy_unrecognised_list"))  # its expected.json: unread with a blank wording
    assert list_page_state(page, read_listing(page, DateParser(as_of(spec))), False).state in (LISTED, UNREAD)
    assert "内容链接" in read_empty_state(page, "暂无信息", None).reason


@pytest.mark.parametrize("body,empty", [
    ('{"success":true,"data":{"totalRecord":0,"list":[]}}', True),
    ('{"total":0,"rows":[]}', True),
    ('callback({"data":{"list":[]}})', True),
    ('{"total":3,"rows":[]}', False),                          # says 3: the rows are elsewhere, not empty
    ('{"total":0,"rows":[{"title":"a","url":"/a"}]}', False),
    ('{"success":true}', False),
    ("<html></html>", False),
])
def test_json_declared_empty(body, empty):
    assert json_declared_empty(body) is empty


# -- the rules: an unreadable page gives undecided, never a finding ---------------------------------------------
T = datetime.date(2019, 6, 1)
HOME = "http://www.example.gov.cn/"


def column(i, **kw):
    defaults = {"url": f"{HOME}c{i}/", "name": f"栏目{i}", "category": "news", "first_level": True, "entries": 0}
    return ColumnFacts(**{**defaults, **kw})


def facts(columns=(), channels=(), homepage=()):
    return SiteFacts("4300000001", registered_url=HOME, reachable=True, columns=list(columns),
                     channels=list(channels) or [ChannelFact("领导信箱", HOME + "ldxx/", working=True)],
                     homepage_entries=list(homepage))


UNREADABLE = {"read_state": UNREAD, "read_reason": "页面有9个内容链接，但未识别出列表结构"}


@pytest.mark.parametrize("site,code", [
    (facts([column(i, **UNREADABLE) for i in range(16)]
           + [column(99, newest_date=T - datetime.timedelta(days=2), entries=5, read_state=LISTED)],
           homepage=[EntryFact("要闻", HOME + "a.html", T - datetime.timedelta(days=1))]), "blank_columns"),
    (facts([column(i, **UNREADABLE) for i in range(12)]
           + [column(99, newest_date=T - datetime.timedelta(days=2), entries=5, read_state=LISTED)],
           homepage=[EntryFact("要闻", HOME + "a.html", T - datetime.timedelta(days=1))]), "columns_not_updated"),
    (facts([column(i, category="periodic", **UNREADABLE) for i in range(12)]
           + [column(99, newest_date=T - datetime.timedelta(days=2), entries=5, read_state=LISTED)],
           homepage=[EntryFact("要闻", HOME + "a.html", T - datetime.timedelta(days=1))]), "columns_long_stale"),
    (facts([ColumnFacts(HOME, "首页", role="homepage", read_state=UNREAD, read_reason="首页区块由脚本填充（ajax-xhr），未能渲染读取"),
            column(1, newest_date=T - datetime.timedelta(days=60), entries=5, read_state=LISTED)]), "homepage_not_updated"),
    (facts([column(1, newest_date=T - datetime.timedelta(days=2), entries=5, read_state=LISTED)],
           channels=[ChannelFact("12345热线", "http://12345.example.gov.cn/", offsite=True, working=None,
                                 note="未能核验（TimeoutError）")],
           homepage=[EntryFact("要闻", HOME + "a.html", T - datetime.timedelta(days=1))]), "no_consultation_channel"),
])
def test_an_unreadable_page_is_undecided_never_a_finding(site, code):
    findings, undecided = judge_site_fully(site, T, RuleSettings())
    assert code not in {f.indicator for f in findings}
    assert code in {u["indicator"] for u in undecided}
    assert all(u["indicator"] in VETO_CODES and u["reason"] for u in undecided)


def test_the_same_facts_read_give_the_finding():
    """Control: when the pages were read and show the empty state, the same site does fail."""
    site = facts([column(i, read_state=EMPTY, blank_marker="暂无信息") for i in range(5)]
                 + [column(99, newest_date=T - datetime.timedelta(days=2), entries=5, read_state=LISTED)],
                 homepage=[EntryFact("要闻", HOME + "a.html", T - datetime.timedelta(days=1))])
    assert "blank_columns" in {f.indicator for f in judge_site(site, T)}


def test_stored_verdict_leaves_an_undecided_site_incomplete(tmp_path):
    """pipelines.verdicts.judge: no finding from unread columns, the site incomplete with the reason, passed NULL."""
    from govcrawl.categories import Categories
    from pipelines.storage import open_db
    from pipelines.verdicts import judge

    db = open_db(str(tmp_path / "g.db"))
    db["runs"].insert({"run_id": "r", "as_of": T.isoformat()})
    db["sites"].insert({"run_id": "r", "site_code": "4300000001", "name": "某局", "registered_url": HOME,
                        "final_url": HOME, "reachable": 1, "status": "complete", "kind": "department", "services": 0})
    db["fetches"].insert({"run_id": "r", "site_code": "4300000001", "url": HOME, "attempt": 1, "status": 200})
    db["channels"].insert({"run_id": "r", "site_code": "4300000001", "url": HOME + "ldxx/", "name": "领导信箱",
                           "kind": "consultation", "working": 1})
    db["columns"].insert({"run_id": "r", "site_code": "4300000001", "url": HOME, "name": "首页", "role": "homepage",
                          "pages": 1, "http_status": 200, "read_state": "listed"})
    db["entries"].insert({"run_id": "r", "site_code": "4300000001", "column_url": HOME, "url": HOME + "a.html",
                          "title": "要闻", "date": (T - datetime.timedelta(days=1)).isoformat()})
    db["columns"].insert_all({"run_id": "r", "site_code": "4300000001", "url": f"{HOME}c{i}/", "name": f"工作动态{i}",
                              "role": "column", "pages": 1, "http_status": 200, "entries": 0, "first_level": 1,
                              **UNREADABLE} for i in range(6))
    findings = judge(db, "r", "4300000001", RuleSettings(), Categories.load())
    assert not [f for f in findings if f.veto]
    site = db["sites"].get(("r", "4300000001"))
    assert site["passed"] is None and site["status"] == "incomplete"
    assert "blank_columns" in site["status_reason"] and "未识别出列表结构" in site["status_reason"]
    assert {u["indicator"] for u in json.loads(site["undecided"])} >= {"blank_columns", "columns_not_updated"}
    judge(db, "r", "4300000001", RuleSettings(), Categories.load())  # judged again: the reason is not repeated
    assert db["sites"].get(("r", "4300000001"))["status_reason"].count("未能判定") == 1
    from govcrawl.report.model import build_report

    report = build_report(db, "r")
    tables = {t.key: t for t in report.apart_tables()}
    assert [a.ident for a in report.incomplete] == ["4300000001"]
    assert {row[3] for row in tables["undecided"].rows} >= {"空白栏目数量超过(含)5个"}
    assert not report.annex2
    from govcrawl.commands.explain import explain_lines

    lines = explain_lines(db, "r", "4300000001")
    apart = lines.index(next(line for line in lines if line.startswith("待定指标")))
    assert any(line.split()[:2] == ["blank_columns", "待定"] for line in lines[:apart])
    assert any(line.split()[0] == "blank_columns" for line in lines[apart + 1:])


def test_a_homepage_whose_blocks_a_script_fills_is_not_navigation_only():
    """tests/pages/empty/homepage_script_blocks/ (replayed by test_saved_pages): empty block lists, whatever their
    class, and a data request: no dated entries, filled by ajax-xhr. A TRS list page that is merely empty is not."""
    from govcrawl.render import script_filled

    assert script_filled(Page(URL, load_case(EMPTY_CASES["trs_empty_list"])[0].text), True) is None
