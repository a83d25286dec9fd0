"""ToyCMS, a made-up CMS family for the plug-in test (tests/test_shapes.py): its list entries are custom
<toy-item data-href data-time> elements without any <a> (the generic reader cannot read them), and its pager is a
<toy-pager data-pages data-pattern> element. Loaded only through GOVCRAWL_SHAPES_PATH."""
from __future__ import annotations

from govcrawl.extract.listing import Group, RowReader
from govcrawl.extract.page import Page

NAME = "toycms"
PRIORITY = 50


def recognise(page: Page) -> bool:
    return "<toy-list" in page.text


def list_groups(reader: RowReader, page: Page) -> list[Group]:
    groups = []
    for box in page.selector.css("toy-list"):
        rows = [reader.row(" ".join(" ".join(item.css("::text").getall()).split()), item.attrib.get("data-href"),
                           item.attrib.get("data-time")) for item in box.css("toy-item")]
        groups.append(reader.group(rows))
    return [g for g in groups if g]


def next_pages(page: Page, live: str, max_pages: int) -> list[str] | None:
    pager = page.selector.css("toy-pager")
    if not pager:
        return None
    pages, pattern = int(pager[0].attrib.get("data-pages", "1")), pager[0].attrib.get("data-pattern", "")
    current = int(pager[0].attrib.get("data-current", "1"))
    return [page.absolute(pattern.replace("{n}", str(k))) for k in range(current + 1, min(pages, max_pages) + 1)]
