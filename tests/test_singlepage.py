"""Single-page columns: a column URL that shows one article is dated from the article's own metadata (saved pages:
tests/pages/singlepage/)."""
from datetime import date

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.page import Page
from govcrawl.extract.singlepage import single_page_entry, with_single_page
from govcrawl.shapes import read_listing
from tests.shape_cases import as_of, case_id, load_case, replay_saved, saved_cases

DATES = DateParser(date(2026, 9, 20))


def read_column_page(page: Page, spec: dict) -> dict:
    dates = DateParser(as_of(spec))
    listing = read_listing(page, dates)
    entry = single_page_entry(page, listing, dates)
    dated = entry and {"url": entry.url, "date": entry.date, "source": entry.source, "title": entry.title,
                       "has_raw_date": bool(entry.raw_date)}
    return {"list_entries": len(listing.entries), "entry": dated}


@pytest.mark.parametrize("case", saved_cases("singlepage"), ids=case_id)
def test_saved_column_pages(case):
    got, expected = replay_saved(case, read_column_page)
    assert got == expected


@pytest.mark.parametrize("case", saved_cases("singlepage"), ids=case_id)
def test_the_article_of_a_single_page_column_is_its_only_entry(case):
    page, spec = load_case(case)
    dates = DateParser(as_of(spec))
    listing = read_listing(page, dates)
    entry = single_page_entry(page, listing, dates)
    if entry is None:
        assert with_single_page(listing, page, dates) is listing  # a list stays a list
    else:
        assert with_single_page(listing, page, dates).entries == [entry]


def test_a_blank_column_is_not_an_article():
    page = Page("http://www.xx.gov.cn/jgzn/", "<html><head><meta name='PubDate' content='2026-01-01'></head><body>"
                "<p>此栏目暂无信息。本栏目将发布本单位机构设置、主要职责、内设机构、领导分工及联系方式等有关情况，敬请关注。</p>"
                "</body></html>")
    listing = read_listing(page, DATES)
    assert listing.blank_marker and single_page_entry(page, listing, DATES) is None


def test_a_url_date_alone_does_not_date_the_column():
    page = Page("http://www.xx.gov.cn/jgzn/2026/01/02/", "<html><body><p>" + "本局主要职责是贯彻执行国家有关方针政策。" * 5
                + "</p></body></html>")
    assert single_page_entry(page, read_listing(page, DATES), DATES) is None
