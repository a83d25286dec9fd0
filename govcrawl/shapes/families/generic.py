"""The generic structural reader, the fallback every page gets: the best repeated row group of the DOM and the
pager links, stated page counts and page-URL templates (govcrawl/extract/listing.py, govcrawl/extract/pagers.py)."""
from __future__ import annotations

from govcrawl.extract.listing import Group, RowReader
from govcrawl.extract.page import Page
from govcrawl.extract.pagers import generic_pages

NAME = "generic"
PRIORITY = 100


def list_groups(reader: RowReader, page: Page) -> list[Group]:
    return reader.dom_groups(reader.page.selector.root) if reader.html_page else []


def next_pages(page: Page, live: str, max_pages: int) -> list[str]:
    return generic_pages(page, live, max_pages)
