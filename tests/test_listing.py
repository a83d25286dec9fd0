"""List-page extraction over saved pages (tests/pages/shapes/<family>/<case>/, replayed by tests/test_shapes.py) and\ngenerated markup."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcrawl.dates import DateParser
from govcrawl.extract.listing import Listing
from govcrawl.extract.page import Page
from govcrawl.shapes import read_listing
from tests.shape_cases import case_id, load_case, shape_cases

AS_OF = datetime.date(2026, 9, 20)
LIST_CASES = shape_cases(having="entries")  # each case's expected output is checked by tests/test_shapes.py
SHAPES_CASE = {case.name: case for case in LIST_CASES}


def _extract(case: Path) -> tuple[Listing, dict]:
    page, spec = load_case(case)
    return read_listing(page, DateParser(datetime.date.fromisoformat(spec["as_of"]))), spec


def as_rows(listing: Listing) -> list[dict]:
    return [{"title": e.title, "url": e.url, "date": e.date.isoformat() if e.date else None} for e in listing.entries]


@pytest.mark.parametrize("case", LIST_CASES, ids=case_id)
def test_dated_entries_keep_their_raw_date(case: Path) -> None:
    listing, _ = _extract(case)
    for entry in listing.entries:
        assert (entry.date is None) == (entry.raw_date is None)


def precision_recall(pairs: list[tuple[list[dict], list[dict]]]) -> tuple[float, float]:
    """Entry-level precision/recall over (found, expected) pairs; an entry matches on url, title and date."""
    key = lambda e: (e["url"], e["title"], e["date"])  # noqa: E731
    hits = found = wanted = 0
    for got, want in pairs:
        got_keys, want_keys = {key(e) for e in got}, {key(e) for e in want}
        hits, found, wanted = hits + len(got_keys & want_keys), found + len(got_keys), wanted + len(want_keys)
    return (hits / found if found else 1.0), (hits / wanted if wanted else 1.0)


def test_precision_recall_over_all_saved_pages() -> None:
    pairs = []
    for expected in LIST_CASES:
        listing, spec = _extract(expected)
        pairs.append((as_rows(listing), spec["entries"]))
    precision, recall = precision_recall(pairs)
    assert sum(len(want) for _, want in pairs) >= 60
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_precision_recall_counts_mismatches() -> None:
    want = [{"url": "u1", "title": "t", "date": None}, {"url": "u2", "title": "t", "date": None}]
    assert precision_recall([(want, want)]) == (1.0, 1.0)
    assert precision_recall([(want[:1] + [{"url": "u3", "title": "x", "date": None}], want)]) == (0.5, 0.5)


def test_raw_date_keeps_the_page_string() -> None:
    listing, _ = _extract(SHAPES_CASE["henan_nested_tables"])
    assert [e.raw_date for e in listing.entries] == ["[2026-09-12]", "[2026-09-02]", "[2026-08-20]"]
    listing, _ = _extract(SHAPES_CASE["hubei_slash_date_in_anchor"])
    assert listing.entries[0].raw_date == "2026/09/11"


@pytest.mark.parametrize("html, marker", [
    ("<html><body><div class='list'>此栏目暂无信息</div></body></html>", "此栏目暂无"),
    ("<html><body><td>没有记录</td></body></html>", "没有记录"),
    ("<html><body><p>栏目建设中</p></body></html>", "栏目建设中"),
    ("<html><body><p>承办：某市信息化建设中心</p></body></html>", None),
    ("<html><body><script>if(n==0)document.write('暂无数据')</script></body></html>", None),
])
def test_blank_markers(html: str, marker: str | None) -> None:
    assert read_listing(Page("http://a.gov.cn/x/", html), DateParser(AS_OF)).blank_marker == marker


def test_nav_links_never_become_entries_even_with_a_list() -> None:
    page, _ = load_case(SHAPES_CASE["split_list_two_blocks"])
    urls = {e.url for e in read_listing(page, DateParser(AS_OF)).entries}
    assert not any(u.endswith(("/zwgk/", "/xwzx/", "/wzdt/", "gov.cn/")) for u in urls)


_FRAGMENTS = st.sampled_from([
    "<ul>", "</ul>", "<li>", "</li>", "<a href='./202609/t20260901_1.html' title='标题…'>", "<a href='javascript:;'>", "</a>",
    "<span>2026-09-01</span>", "[09-11]", "2026年9月1日", "<table><tr><th>序号</th></tr>", "<tr><td>", "</td></tr>",
    "<script type='text/xml'><datastore><record><![CDATA[<li><a href='/art/2026/1/2/art_1_2.html'>x</a></li>]]></record>",
    "</datastore></script>", "var itemObj=[{\"aT\":\"t\",\"aU\":\"{\\\"c\\\":1}\",\"aPd\":\"x\"}];", "<script>", "</script>",
    "{\"data\":{\"list\":[{\"title\":\"t\",\"url\":\"//x\"}]}}", "暂无信息", "…", "<!--", "-->", "<![CDATA[", "]]>", "\x00", "\ufeff",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=25),
       url=st.sampled_from(["http://a.gov.cn/x/index.html", "https://b.gov.cn/col/col1/index.html?uid=2&pageNum=3", "http://c.gov.cn"]))
def test_arbitrary_input_never_raises(parts: list[str], url: str) -> None:
    listing = read_listing(Page(url, "".join(parts)), DateParser(AS_OF))
    assert len({e.url for e in listing.entries}) == len(listing.entries)
    assert all(e.url.startswith(("http://", "https://")) and e.title for e in listing.entries)
