"""Single-page columns (机构职能, 机构概况, 领导简介 …): the column URL shows one article, not a list. Its date is
the article's own (publish <meta>, 发布时间 labels, the 信息公开 header), so the column is dated like any other
instead of being left undated or taken for blank."""
from __future__ import annotations

import re

from govcrawl.dates import DateParser
from govcrawl.extract.article import article_title, publish_date
from govcrawl.extract.listing import ListEntry, Listing
from govcrawl.extract.page import Page

_PROSE = re.compile(r"[\u4e00-\u9fff][^。！？]{8,}[。；！？]")  # a sentence: list titles and footers have none


def _has_prose(page: Page) -> bool:
    texts = page.selector.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::a)]").getall()
    return any(_PROSE.search(t) for t in texts)


def single_page_entry(page: Page, listing: Listing, dates: DateParser) -> ListEntry | None:
    """The page itself as the column's one dated entry when it is an article: no list, no empty-state marker,
    prose of its own and a publish date from the page's metadata or labels (never the URL alone)."""
    if listing.entries or listing.blank_marker or not _has_prose(page):
        return None
    found = publish_date(page, dates)
    if found is None or found.source == "url":
        return None
    title = article_title(page) or ""
    return ListEntry(title, page.url, found.date, found.raw, source=f"article:{found.source}")


def with_single_page(listing: Listing, page: Page, dates: DateParser) -> Listing:
    """`listing`, or a listing of the page itself when the column is a single article."""
    entry = single_page_entry(page, listing, dates)
    return Listing([entry], None, False) if entry else listing
