"""Entries (title, url, date) of any column list page: the best repeated row group, Hanweb datastores, JS/JSON lists."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from urllib.parse import urlsplit

import lxml.html

from govcrawl.dates import DateParser, fold_width, from_epoch
from govcrawl.extract import jsdata
from govcrawl.extract.page import Page, parse_html
from govcrawl.text import collapse_spaces
from govcrawl.urls import looks_like_article, looks_like_column
from govcrawl.vocabulary import VOCABULARY


@dataclass
class ListEntry:
    title: str
    url: str
    date: date | None
    raw_date: str | None
    source: str = "list"  # where the date was read: the list row, or article:<how> for a single-page column


@dataclass
class Listing:
    entries: list[ListEntry]
    blank_marker: str | None
    has_scripts_without_list: bool
    declared_empty: bool = False  # the CMS states 0 records (a page shape's empty-state reader)


_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:[\sT-]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?(?!\d)")
_SHORT_DATE = re.compile(r"[\[【(（]?\s*\d{1,2}\s*[-/月.]\s*\d{1,2}\s*日?\s*[\]】)）]?")
_OPEN, _CLOSE = "[【(（〔", "]】)）〕"
_SERVICE_URL = re.compile(r"dataproxy\.jsp|/module/visit|/module/web/jpage/", re.I)
_NOT_TITLE = VOCABULARY.regex("navigation.not_title")  # vocabulary.toml [navigation]; only fullmatch-ed
_DETAIL_WORDS = VOCABULARY.pattern("list_rows.detail")  # vocabulary.toml [list_rows]; only fullmatch-ed
_TEMPLATE_ATTRS = ("ms-repeat", "ms-for", "v-for", "ng-repeat", "data-repeat")


@dataclass
class Row:
    title: str
    url: str
    raw_date: str | None
    date: date | None
    article_like: bool
    column_like: bool
    external: bool

    @classmethod
    def make(cls, title: str, url: str, raw: str | None, when: date | None, host: str) -> "Row":
        external = (urlsplit(url).hostname or "").removeprefix("www.") != host
        return cls(title, url, raw, when, looks_like_article(url), looks_like_column(url), external)


def _clean_title(text: str) -> str:
    s = collapse_spaces(text)
    s = re.sub(r"^(?:[·•●■□◆◇▪▫○»>\-—–|\s]|\d{1,3}[.、](?=\D))+", "", s)
    while (m := re.match(r"^[\[【〖]([^\]】〗]{1,8})[\]】〗]\s*", s)) and len(s) > m.end():
        s = s[m.end():]  # leading markers: 【国家政策】 [置顶] [图]
    s = re.sub(r"[\[【(（]\s*[\]】)）]", "", s)
    return s.strip(" |-—:：")


def _date_in(s: str, parse) -> tuple[str, date] | None:
    """(raw, date) when the text node is a date (maybe labelled/bracketed) or ends/starts with a bracketed one."""
    typed, s = s, fold_width(s)  # ２０２６－０９－１２ is found as 2026-09-12; `raw` keeps the page's characters
    m = _DATE.search(s)
    if not m:
        return (typed, d) if _SHORT_DATE.fullmatch(s) and (d := parse(s)) else None
    before, after = s[:m.start()], s[m.end():]
    rest = re.sub(r"[\s\[\]【】()（）:：\-—|/,，]", "", before + after)
    if len(rest) <= 6 and not re.search(r"\d", rest):
        raw = typed
    elif not after.strip(_CLOSE + " ") and (before[-1:] in _OPEN + " " or re.search(r"[-/]", m.group(0))):
        raw = typed[m.start() - (before[-1:] in _OPEN):].strip()  # glued after a title: 招标公...[2014-04-28]
    elif not before.strip(_OPEN + " ") and (before.strip() or after[:1] in " |"):
        raw = typed[:m.end() + (after[:1] in _CLOSE)].strip()  # before the title: [2019-05-20] 标题
    else:
        return None
    d = parse(raw) or parse(m.group(0))
    return (raw, d) if d else None


def _segments(el, main) -> list[tuple[str, bool]]:
    """Text nodes of the row, each flagged when it sits inside the main anchor."""
    out = []
    for node in el.xpath(".//text()") if el is not main else []:
        owner = node.getparent()
        owner = owner.getparent() if node.is_tail else owner
        inside, up = False, owner
        while up is not None and up is not el:
            if up is main:
                inside = True
            up = up.getparent()
        if owner is not None and owner.tag not in ("script", "style"):
            out.append((collapse_spaces(node), inside or owner is main))
    if el is main:  # a bare <a> row: its text, then what follows it up to the next link
        out.append((collapse_spaces(el.text_content()), True))
        sib, hops = el, 0
        out.append((collapse_spaces(el.tail), False))
        while (sib := sib.getnext()) is not None and sib.tag != "a" and hops < 3:
            text = sib.text_content() if isinstance(sib.tag, str) else ""  # a comment between rows shows nothing
            out += [(collapse_spaces(text), False), (collapse_spaces(sib.tail), False)]
            hops += 1
    return [(t, i) for t, i in out if t]


def _row_date(segments, parse, dates: DateParser) -> tuple[str | None, date | None]:
    for text, _inside in segments:
        if hit := _date_in(text, parse):
            return hit
    for text, inside in segments:
        if not inside and (d := dates.find(text)):
            return text[:40], d
    return None, None


def parse_row(el, page: Page, host: str, parse, dates: DateParser) -> Row | None:
    if any(a in el.attrib for a in _TEMPLATE_ATTRS) or (el.tag == "tr" and el.find("th") is not None):
        return None
    links = []
    for a in ([el] if el.tag == "a" else el.iter("a")):
        u = page.absolute(a.get("href"))
        if u and not _SERVICE_URL.search(u) and "{{" not in u and "${" not in u:
            links.append((a, u))
            if len(links) > 4:  # a container, not a row: stop before walking the rest of its subtree
                return None
    if not links:
        return None
    if len(links) > 1 and sum(1 for _ in el.iterdescendants("li", "tr", "dd", "p")) > 1:
        return None  # a wrapper around a nested list, not one row

    def weight(pair):
        a, u = pair
        probe = Row.make("", u, None, None, host)
        return len(collapse_spaces(a.text_content()) or a.get("title", "")) + 15 * probe.article_like - 15 * probe.column_like

    main, url = max(links, key=weight)
    segments = _segments(el, main)
    raw, when = _row_date(segments, parse, dates)
    text = collapse_spaces(main.text_content())
    stripped = collapse_spaces(text.replace(raw, " ")) if raw else text
    title = _clean_title(stripped)
    attr = _clean_title((main.get("title") or "").replace(raw or "\0", " "))
    if attr and (not title or stripped.endswith(("...", "…", "..")) or _DETAIL_WORDS.fullmatch(title)
                 or (len(attr) > len(title) and not _DETAIL_WORDS.fullmatch(attr))):
        title = attr
    if not title or _DETAIL_WORDS.fullmatch(title):
        others = [t for t, inside in segments if not inside and t != raw and len(t) >= 6 and not _DATE.search(t)]
        title = _clean_title(max(others, key=len)) if others else title
    if not title or _NOT_TITLE.fullmatch(title) or "{{" in title or "${" in title:
        return None
    return Row.make(title, url, raw, when, host)


@dataclass
class Group:
    rows: list[Row]
    signature: tuple = ()
    penalty: float = 1.0
    boost: float = 1.0
    order: int = 0
    stats: dict[str, float] = field(default_factory=dict)


_ROW_TAGS = {"li", "tr", "dd", "dt", "p", "div", "h2", "h3", "h4", "h5", "a", "td", "section", "article", "span"}
_SKIP_TAGS = {"script", "style", "noscript", "select", "option", "textarea", "head", "title", "iframe"}
_NAV_WORDS = re.compile(r"(?:^|[\s_-])(?:nav\w*|menu\w*|header|head|top|footer|foot|bottom|crumbs?|breadcrumbs?|position"
                        r"|location|dqwz|yqlj|links?|friend\w*|banner|copyright|sitemap)(?:$|[\s_-]|\d)", re.I)
_NAV_TAGS = {"nav", "header", "footer", "select"}
_FRIEND_CUES = VOCABULARY.words("list_rows.friend_cues")
_BLANK_MARKERS = VOCABULARY.blank_markers()  # (regex, marker) pairs: vocabulary.toml [blank_markers]
_LIST_CONTAINER = re.compile(r"""<(?:div|ul|table|tbody)\b[^>]*\b(?:id|class)\s*=\s*["']?[^"'>]*(?:list|pgContainer|news|info)"""
                             r"""|<div\b[^>]*\bid\s*=\s*["']?\d{3,}["'\s>]""", re.I)


def _nav_penalty(el: lxml.html.HtmlElement) -> float:
    """Rows under a menu, header, footer or friend-link block are navigation, not the column's list."""
    node, depth = el, 0
    while node is not None and depth < 12:
        if not isinstance(node.tag, str):
            break
        if node.tag in _NAV_TAGS or _NAV_WORDS.search(f"{node.get('id', '')} {node.get('class', '')}"):
            return 0.25
        node, depth = node.getparent(), depth + 1
    context = el.getparent() if el.getparent() is not None else el
    heading = "".join(context.itertext())[:40]
    return 0.2 if any(cue in heading for cue in _FRIEND_CUES) else 1.0


def _signature(el: lxml.html.HtmlElement, tag: str) -> tuple:
    return (el.tag, (el.get("class") or "").split()[:1], tag)


def _score(group: Group) -> float:
    rows, n = group.rows, len(group.rows)
    dated = sum(r.date is not None for r in rows) / n
    art = sum(r.article_like for r in rows) / n
    col = sum(r.column_like for r in rows) / n
    short = sum(len(r.title) <= 4 for r in rows) / n
    external = sum(r.external for r in rows) / n
    mean_len = sum(min(len(r.title), 30) for r in rows) / n
    quality = 1.0 * dated + 0.7 * art + 0.6 * min(mean_len, 24) / 24 - 0.7 * col - 0.8 * short - 0.5 * external * (1 - dated)
    group.stats = {"dated": dated, "art": art, "mean_len": mean_len, "quality": quality * group.penalty}
    return quality * group.penalty * group.boost * (1 + math.log2(n))


def _is_list(group: Group) -> bool:
    s = group.stats
    return s["quality"] >= 0.6 and (s["dated"] >= 0.5 or s["art"] >= 0.5 or s["mean_len"] >= 10)


class RowReader:
    """Reads row groups out of a page for the page shapes: its DOM, markup fragments, data items."""

    def __init__(self, page: Page, dates: DateParser):
        # parsel types a JSON body as 'json' and Page.base_url then cannot run xpath: resolve against the bare URL
        self.page = page if page.selector.type == "html" else Page(page.url, "")
        self.source = page
        self.dates = dates
        self.host = (urlsplit(page.url).hostname or "").removeprefix("www.")
        self.memo: dict[str, date | None] = {}
        self.order = 0

    @cached_property
    def json_body(self):
        """The page's JSON/JSONP body, else None (an HTML page)."""
        stripped = self.source.text.lstrip("\ufeff \t\r\n")
        if stripped[:1] in "[{" or re.match(r"[\w.$]+\s*\(", stripped):
            return jsdata.parse_json_body(self.source.text)
        return None

    @property
    def html_page(self) -> bool:
        """An HTML page with a DOM to read (not a JSON body, nor a bare <datastore> XML body)."""
        return self.page is self.source and not re.match(r"(?:<\?xml[^>]*>\s*)?<datastore",
                                                          self.source.text.lstrip("\ufeff \t\r\n"), re.I)

    def parse_date(self, raw: str) -> date | None:
        if raw not in self.memo:
            value = None
            if re.fullmatch(r"\d{10}|\d{13}", raw):
                try:
                    value = from_epoch(raw).date()
                except (ValueError, OverflowError, OSError):
                    value = None
            self.memo[raw] = value or self.dates.parse(raw)
        return self.memo[raw]

    def dom_groups(self, root: lxml.html.HtmlElement, boost: float = 1.0) -> list[Group]:
        groups = []
        for parent in root.iter():
            if not isinstance(parent.tag, str) or parent.tag in _SKIP_TAGS:
                continue
            by_tag: dict[str, list] = {}
            for child in parent:
                if isinstance(child.tag, str) and child.tag in _ROW_TAGS:
                    by_tag.setdefault(child.tag, []).append(child)
            for tag, kids in by_tag.items():
                rows = [r for r in (parse_row(k, self.page, self.host, self.parse_date, self.dates) for k in kids) if r]
                if rows:
                    self.order += 1
                    groups.append(Group(rows, _signature(parent, tag), _nav_penalty(parent), boost, self.order))
        return groups

    def fragment_groups(self, markup: str, boost: float) -> list[Group]:
        root = parse_html(markup)
        return self.dom_groups(root, boost) if root is not None else []

    def row(self, title: str, url: str | None, raw_date: str | None) -> Row | None:
        """A row of a family's own reader: its URL resolved against the page, its date parsed."""
        absolute = self.page.absolute(url) if url else None
        if not absolute or not title:
            return None
        return Row.make(title, absolute, raw_date, self.parse_date(raw_date) if raw_date else None, self.host)

    def group(self, rows: list[Row | None], boost: float = 1.5) -> Group | None:
        """A row group a family read itself (data items, custom markup); None when it has no rows."""
        rows = [r for r in rows if r]
        self.order += 1
        return Group(rows, ("data", self.order), 1.0, boost, self.order) if rows else None

    def data_group(self, items: list[jsdata.DataItem]) -> Group | None:
        return self.group([self.row(it.title, it.url, it.raw_date) for it in items])


def _choose(groups: list[Group]) -> list[Group]:
    scored = sorted(((_score(g), g) for g in groups), key=lambda sg: -sg[0])
    lists = [g for s, g in scored if s > 0 and _is_list(g)]
    if not lists:
        return []
    best = lists[0]
    chosen = [best] + [g for g in lists[1:] if g.penalty == 1.0 and (
        g.signature == best.signature or (g.stats["dated"] >= 0.8 and len(g.rows) >= 3))]
    return sorted(chosen, key=lambda g: g.order)


def _blank_marker(page: Page) -> str | None:
    text = page.visible_text.replace(" ", "")
    for pattern, marker in _BLANK_MARKERS:
        if re.search(pattern, text):
            return marker
    return None


def _scripts_without_list(text: str, list_scripts) -> bool:
    return list_scripts(text) or (
        bool(_LIST_CONTAINER.search(text)) and bool(re.search(r"<script\b[^>]*>\s*\S", text, re.I)))


def listing_from(reader: "RowReader", groups: list[Group], declared_empty, list_scripts) -> Listing:
    """The listing made of the best row groups the page shapes read; `declared_empty()` says whether the CMS itself
    states the list has no records, `list_scripts(text)` whether the page's scripts fill a list (the page shapes'
    LIST_SCRIPTS); both are asked only when no entries were found."""
    page = reader.source
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for group in _choose(groups):
        for row in group.rows:
            if row.url not in seen:
                seen.add(row.url)
                entries.append(ListEntry(row.title, row.url, row.date, row.raw_date))
    if entries:
        return Listing(entries, None, False)
    if declared_empty():  # the CMS itself says the list has no records: blank, nothing to render
        return Listing([], _blank_marker(page) or "空列表（记录数0）", False, declared_empty=True)
    return Listing([], _blank_marker(page), _scripts_without_list(page.text, list_scripts))
