"""Single-page columns: a column URL that shows one article is dated from the article's own metadata."""
from datetime import date
from pathlib import Path

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.page import Page
from govcrawl.extract.singlepage import single_page_entry, with_single_page
from govcrawl.shapes import read_listing

PAGES = Path(__file__).parent / "pages" / "singlepage"
DATES = DateParser(date(2026, 9, 20))


def read(name: str, url: str):
    page = Page(url, (PAGES / name).read_text(encoding="utf-8"))
    return page, read_listing(page, DATES)


@pytest.mark.parametrize("name,url,day,source,title", [
    # TRS 机构职能: meta PubDate, the title from meta ArticleTitle
    ("trs_jgzn_pubdate.html", "http://rsj.hd.gov.cn/jgzn/", date(2026, 3, 2), "article:meta:PubDate",
     "邯郸市人力资源和社会保障局主要职责"),
    # Hanweb 领导简介 in layout tables: no publish meta, a 发布时间 label beside 浏览次数
    ("hanweb_ldjj_label.html", "http://www.lucheng.gov.cn/col/col1229005/index.html", date(2025, 12, 15),
     "article:label:发布时间", "领导简介"),
])
def test_single_page_column_is_dated_from_its_article(name, url, day, source, title):
    page, listing = read(name, url)
    assert listing.entries == []  # no list: without this the column would have no date at all
    entry = single_page_entry(page, listing, DATES)
    assert (entry.url, entry.date, entry.source, entry.title) == (url, day, source, title)
    assert entry.raw_date
    assert with_single_page(listing, page, DATES).entries == [entry]


def test_a_list_stays_a_list():
    page, listing = read("undated_list_not_single.html", "http://www.xx.gov.cn/gzdt/")
    assert len(listing.entries) == 3
    assert single_page_entry(page, listing, DATES) is None
    assert with_single_page(listing, page, DATES) is listing


def test_a_page_of_links_with_a_meta_date_is_no_article():
    page, listing = read("nav_page_meta_only.html", "http://www.xx.gov.cn/zwgk/")
    assert single_page_entry(page, listing, DATES) is None  # no prose of its own


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
