"""Whether a list page that gave no entries was read: it shows its empty state, or it could not be read.

A column is blank only on positive evidence: the CMS declares the list empty (a Hanweb datastore or jpage unit with
0 records, a JSON body with totalRecord 0 and an empty list), the page says so where its list would be (暂无信息,
没有记录, 共0条记录 … in an element of its own, not in a menu or footer), or a list container sits there with no rows.
A page that shows content links whose list structure was not recognised, a list container a script fills that was
not rendered, a content page without a list, or nothing recognisable at all, is not blank: it is reported as such,
with the reason, and the rules leave it undecided.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from govcrawl.extract import jsdata
from govcrawl.extract.page import Page
from govcrawl.vocabulary import VOCABULARY

if TYPE_CHECKING:
    from govcrawl.extract.listing import Listing

LISTED, EMPTY, CONTENT, UNREAD = "listed", "empty", "content", "unread"
DECLARED_EMPTY = "空列表（记录数0）"

_LOCATOR_LIMIT = 40  # characters: a marker's own element says little else ("暂无信息", "共0条记录 第1页 共1页")
_CHROME = re.compile(r"nav|menu|header|footer|crumb|yqlj|friend|copyright|sitemap|banner|(?:^|[\s_-])(?:top|head|foot"
                     r"|bottom|links?|position|location|weizhi|dqwz)(?:$|[\s_-]|\d)", re.I)
_CHROME_TAGS = {"nav", "header", "footer", "select", "option", "script", "style", "title", "head"}
_LISTY = re.compile(r"list|news|info|pgcontainer|msg|article|xxgk|wj|data|result", re.I)
_MAIN = re.compile(r"main|content|list|con\b|right|article|column|lm", re.I)
_CONTAINER_TAGS = {"ul", "ol", "dl", "table", "tbody", "div"}
_TITLE_LENGTH = 8      # a link text this long reads as a title, not a menu item
_CONTENT_LINKS = 2     # this many title links outside the page chrome are content the extractor could not list
_CONTENT_TEXT = 150    # characters of running text in one block: a content page (机构职能, 概况), not an empty list
_PARAGRAPHS = 60       # characters in <p> paragraphs outside the chrome: the body of a short content page
# the statutory footer by what it says (ICP/公安 records, 网站标识码, 主办/版权): chrome even when its classes say nothing
_FOOTER_TEXT = VOCABULARY.regex("page_parts.footer")  # vocabulary.toml [page_parts]
_HEADINGS = ("h1", "h2", "h3", "h4")
_JSON_TOTAL = re.compile(r"^(?:total|totalrecords?|totalcount|recordcount|count|rowcount|records)$", re.I)
_JSON_LIST = re.compile(r"^(?:list|data|rows|records|items|result|results|datas|content|infolist|doclist)$", re.I)


@dataclass(frozen=True)
class ListState:
    """`state` is empty | content | unread; `reason` is the empty-state evidence or why the page is not read;
    `marker` the blank wording the page shows (None for an empty container: a content page may look like that)."""
    state: str
    reason: str
    marker: str | None = None


def _chrome(el) -> bool:
    """Under a menu, header, footer, breadcrumb or link block of the page."""
    node = el
    while node is not None and isinstance(node.tag, str):
        if node.tag in _CHROME_TAGS or _CHROME.search(f"{node.get('id', '')} {node.get('class', '')}"):
            return True
        node = node.getparent()
    return False


def _own_text(el) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", "".join(t for t in el.itertext() if isinstance(t, str)))


def json_declared_empty(text: str) -> bool:
    """A JSON/JSONP list body stating 0 records, or whose list member is empty and no list member has rows."""
    body = jsdata.parse_json_body(text)
    if not isinstance(body, dict):
        return False
    nodes = [body] + [v for v in body.values() if isinstance(v, dict)]
    totals = [v for n in nodes for k, v in n.items() if _JSON_TOTAL.match(str(k)) and isinstance(v, (int, str))]
    lists = [v for n in nodes for k, v in n.items() if _JSON_LIST.match(str(k)) and isinstance(v, list)]
    if any(str(t).strip() not in ("0", "") for t in totals) or any(lists):
        return False
    return bool(totals) or bool(lists)


def marker_element(page: Page, marker: str) -> str | None:
    """The text of the element that shows `marker` by itself, outside the page chrome, else None."""
    wanted = re.sub(r"\s+", "", marker)
    root = page.selector.root
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _CHROME_TAGS:
            continue
        text = _own_text(el)
        if wanted in text and len(text) <= _LOCATOR_LIMIT and not any(wanted in _own_text(c) for c in el
                                                                     if isinstance(c.tag, str)):
            return None if _chrome(el) else text
    return None


def _content_links(page: Page) -> int:
    """Links on the site's host, outside the page chrome, whose text reads as a title."""
    host = (urlsplit(page.url).hostname or "").removeprefix("www.")
    count = 0
    for a in page.selector.root.iter("a"):
        url = page.absolute(a.get("href"))
        if not url or (urlsplit(url).hostname or "").removeprefix("www.") != host:
            continue
        title = _own_text(a) or (a.get("title") or "")
        if len(title) >= _TITLE_LENGTH and not _chrome(a):
            count += 1
    return count


def _empty_container(page: Page) -> bool:
    """A list-named container, or a bare list/table in the page's main region, with no links and no text."""
    for el in page.selector.root.iter(*_CONTAINER_TAGS):
        names = f"{el.get('id', '')} {el.get('class', '')}"
        listy = bool(_LISTY.search(names)) or re.fullmatch(r"\s*\d{3,}\s*", el.get("id", "") or "") is not None
        if el.tag == "div" and not listy:
            continue
        if el.xpath(".//a[@href]") or len(_own_text(el)) >= 20 or _chrome(el):
            continue
        if listy or any(_MAIN.search(f"{p.get('id', '')} {p.get('class', '')}") for p in el.iterancestors()):
            return True
        if el.tag != "div" and _under_page_heading(page, el):
            return True
    return False


def _under_page_heading(page: Page, el) -> bool:
    """A list or table that follows the heading naming the page (its <title>): the column's list, whatever its
    classes are called (hand-edited or renamed markup)."""
    title = re.sub(r"\s+", "", page.selector.xpath("string(//title)").get() or "")
    before = el.getprevious()
    if before is None or not isinstance(before.tag, str) or not title:
        return False
    heads = [before] if before.tag in _HEADINGS else list(before.iter(*_HEADINGS))
    return any((text := _own_text(h)) and len(text) >= 2 and text in title for h in heads)


def _content_page(page: Page) -> bool:
    """A content page's body outside the chrome: one long run of text, or paragraphs that add up."""
    best = paragraphs = 0
    for el in page.selector.root.iter("p", "div", "td", "article", "section"):
        if _chrome(el) or (el.tag == "p" and _FOOTER_TEXT.search(_own_text(el))):
            continue
        own = re.sub(r"[\s\u3000\xa0]+", "", (el.text or "") + "".join(c.tail or "" for c in el))
        best = max(best, len(own))
        paragraphs += len(_own_text(el)) if el.tag == "p" else 0
    return best >= _CONTENT_TEXT or paragraphs >= _PARAGRAPHS


def read_empty_state(page: Page, marker: str | None, script_filled: str | None, declared_empty: bool = False) -> ListState:
    """How a list page that gave no entries was read. `marker` is the blank wording the page's text carries (the
    list extractor's vocabulary), `script_filled` why its list is filled by a script that was not run (None when
    the page is as a browser shows it), `declared_empty` that a page shape's empty-state reader found the CMS
    stating 0 records (Listing.declared_empty: a Hanweb datastore or jpage unit)."""
    if declared_empty or json_declared_empty(page.text):
        return ListState(EMPTY, marker or DECLARED_EMPTY, marker or DECLARED_EMPTY)
    if script_filled:
        return ListState(UNREAD, f"列表由脚本填充（{script_filled}），未能渲染读取")
    links = _content_links(page)
    if links >= _CONTENT_LINKS:
        return ListState(UNREAD, f"页面有{links}个内容链接，但未识别出列表结构")
    if marker and marker_element(page, marker):
        return ListState(EMPTY, marker, marker)
    if _empty_container(page):
        return ListState(EMPTY, "列表为空")
    if _content_page(page):
        return ListState(CONTENT, "单页内容，无列表")
    if marker:
        return ListState(UNREAD, f"“{marker}”不在列表位置，未识别出列表或空列表")
    return ListState(UNREAD, "未识别出列表，也无空栏目标记")


def list_page_state(page: Page, listing: "Listing", rendered: bool) -> ListState:
    """How list page 1 of a column was read: listed (entries), or its empty state, or why it is unread.
    `rendered`: the page is the browser's DOM (its scripts ran), so an empty container there is empty."""
    from govcrawl.render import script_filled  # render decides what a script fills; it imports the list extractor

    if listing.entries:
        return ListState(LISTED, f"{len(listing.entries)}条")
    filled = None if rendered else script_filled(page, listing.has_scripts_without_list)
    return read_empty_state(page, listing.blank_marker, filled, listing.declared_empty)
