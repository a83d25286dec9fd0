"""Per-page memo of Page.absolute: the list, navigation and pager extractors resolve the same hrefs many times
(every ancestor row of an anchor sees it again), and urljoin + normpath dominate their profile."""
from __future__ import annotations

from govcrawl.extract.page import Page


def absolute(page: Page, href: str | None) -> str | None:
    """`page.absolute(href)`, computed once per page and href."""
    memo = page.__dict__.get("_absolute_memo")
    if memo is None:
        memo = page.__dict__["_absolute_memo"] = {}
    try:
        return memo[href]
    except KeyError:
        url = memo[href] = page.absolute(href)
        return url
