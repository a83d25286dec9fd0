"""Family-independent pager reading: pager links, stated page counts, page-URL templates. Family pagers (TRS
createPageHTML, Hanweb jpage) are in govcrawl/shapes/families/; govcrawl.shapes.next_pages asks them first."""
from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from govcrawl.extract.page import Page
from govcrawl.vocabulary import VOCABULARY

_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)(</script>)", re.S | re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.S)
_NEXT_WORDS = set(VOCABULARY.words("pager.next"))  # vocabulary.toml [pager]
_LAST_WORDS = set(VOCABULARY.words("pager.last"))
_PAGE_PARAM = re.compile(r"[?&](?:\w+\.)?(?:page|pageindex|pageno|pagenum|currpage|curpage|pn|p|begin|start|offset|pagenumber|index)=(\d+)", re.I)
_COUNT_VARS = re.compile(r"\b(?:totalPage|totalPages|pageCount|pagecount|countPage|pageTotal|logicTotalPage|contenpage|pages)"
                         r"\s*[\"']?\s*[:=]\s*(?:parseInt\()?[\"']?\s*(\d+)", re.I)
_RECORD_VARS = re.compile(r"\b(?:totalCount|recordCount|totalRecord|record_count|dataTotal)\s*[\"']?\s*[:=]\s*(?:parseInt\()?[\"']?(\d+)", re.I)
_SIZE_VARS = re.compile(r"\b(?:perSize|pageSize|perPage|pagesize)\s*[\"']?\s*[:=]\s*(?:parseInt\()?[\"']?(\d+)", re.I)
_JS_PAGE_URL = re.compile(r"""["']([^"'\s<>]*[?&](?:page|pageIndex|pageNo|pageNum|currPage|curPage|pn|p|begin)=)["']\s*[+;,)]""", re.I)
_JS_PAGE_TEMPLATE = re.compile(r"""["']([^"'\s<>]*)\$\{\s*\w*page\w*\s*\}([^"'\s<>]*)["']""", re.I)


def live_code(text: str) -> str:
    """The page with HTML comments and JS comments removed: commented-out pager calls carry stale numbers."""
    text = _HTML_COMMENT.sub(" ", text)
    return _SCRIPT.sub(lambda m: m.group(1) + _JS_COMMENT.sub(" ", m.group(2)) + m.group(3), text)


def build_pages(page: Page, make, first: int, last: int, max_pages: int) -> list[str]:
    """URLs for pages first..min(last, max_pages), skipping the current one and duplicates."""
    out: list[str] = []
    for k in range(max(first, 2), min(last, max_pages) + 1):
        url = page.absolute(make(k))
        if url and url != page.url and url not in out:
            out.append(url)
    return out


def file_parts(url: str) -> tuple[str, str, int]:
    """(prefix, ext, current page) from a TRS file name: index.shtml -> page 1, index_3.shtml -> page 4."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    m = re.fullmatch(r"(\w+?)(?:_(\d+))?\.(\w+)", name)
    if not m:
        return "index", "html", 1
    return m.group(1), m.group(3), int(m.group(2)) + 1 if m.group(2) else 1


def _digit_runs(url: str) -> tuple[tuple[str, ...], list[int]]:
    parts = re.split(r"(\d+)", url)
    return tuple(parts[0::2]), [int(x) if len(x) < 10 else -1 for x in parts[1::2]]


def _page_field(url: str) -> tuple[int, int] | None:
    """(index of the digit run holding the page number, value it has for page k minus k) for a lone pager URL."""
    runs = list(re.finditer(r"\d+", url))
    if not runs:
        return None
    param = _PAGE_PARAM.search(url)
    if param:
        return next(i for i, r in enumerate(runs) if r.start() == param.start(1)), 0
    trs = re.search(r"_(\d+)\.\w+$", urlsplit(url).path)
    if trs:
        end = len(url) - len(urlsplit(url).query) - (1 if urlsplit(url).query else 0)
        idx = max(i for i, r in enumerate(runs) if r.end() <= end)
        return idx, -1
    return len(runs) - 1, 0


class _Template:
    """page k -> URL by replacing one digit run of a pager URL with a*k+b."""

    def __init__(self, url: str, index: int, a: int, b: int):
        self.skeleton, self.values = _digit_runs(url)
        self.index, self.a, self.b = index, a, b

    def url(self, k: int) -> str:
        values = list(self.values)
        values[self.index] = self.a * k + self.b
        return "".join(s + (str(values[i]) if i < len(values) else "") for i, s in enumerate(self.skeleton))

    def page_of(self, url: str | None) -> int | None:
        if not url:
            return None
        skeleton, values = _digit_runs(url)
        if skeleton != self.skeleton or len(values) != len(self.values):
            return None
        k, r = divmod(values[self.index] - self.b, self.a)
        return k if r == 0 and k >= 1 else None


def _template(points: list[tuple[int, str]]) -> _Template | None:
    if not points:
        return None
    by_skeleton: dict[tuple, list[tuple[int, str]]] = {}
    for k, url in points:
        by_skeleton.setdefault(_digit_runs(url)[0], []).append((k, url))
    best = max(by_skeleton.values(), key=len)
    (k1, u1), rest = best[0], [p for p in best[1:] if p[0] != best[0][0]]
    if rest:
        k2, u2 = rest[0]
        v1, v2 = _digit_runs(u1)[1], _digit_runs(u2)[1]
        diff = [i for i in range(min(len(v1), len(v2))) if v1[i] != v2[i]]
        if len(diff) == 1 and (v2[diff[0]] - v1[diff[0]]) % (k2 - k1) == 0:
            a = (v2[diff[0]] - v1[diff[0]]) // (k2 - k1)
            if a > 0:
                return _Template(u1, diff[0], a, v1[diff[0]] - a * k1)
    field = _page_field(u1)
    return _Template(u1, field[0], 1, _digit_runs(u1)[1][field[0]] - k1) if field else None


def _anchor_points(page: Page) -> tuple[list[tuple[int, str]], list[str], list[str]]:
    numbered, nexts, lasts = [], [], []
    if page.selector.type != "html":  # JSON bodies carry no pager links
        return numbered, nexts, lasts
    for a in page.selector.xpath("//a[@href]"):
        text = re.sub(r"[\s\u3000\xa0\[\]]+", "", "".join(a.xpath(".//text()").getall()))
        url = page.absolute(a.attrib.get("href"))
        if not url or url == page.url:
            continue
        if re.fullmatch(r"\d{1,4}", text) and int(text) >= 1:
            numbered.append((int(text), url))
        elif text.lower() in _NEXT_WORDS or text.startswith("下一页"):
            nexts.append(url)
        elif text.lower() in _LAST_WORDS:
            lasts.append(url)
    return numbered, nexts, lasts


def _stated_count(live: str) -> int | None:
    for pattern in (r"共\s*(\d+)\s*页", r"""class=["']?pageCount["']?[^>]*>\s*(\d+)""", r"setPage[\"']\s*,\s*\d+\s*,\s*(\d+)"):
        m = re.search(pattern, live)
        if m:
            return int(m.group(1))
    m = _COUNT_VARS.search(live)
    if m:
        return int(m.group(1))
    records, size = _RECORD_VARS.search(live), _SIZE_VARS.search(live)
    if records and size and int(size.group(1)) > 0:
        return max(1, math.ceil(int(records.group(1)) / int(size.group(1))))
    return None


def generic_pages(page: Page, live: str, max_pages: int) -> list[str]:
    """Further list pages from pager links, a stated page count or a page-URL template in the scripts."""
    numbered, nexts, lasts = _anchor_points(page)
    count = _stated_count(live)
    current_text = re.search(r"第\s*(\d+)\s*页", live)
    current = int(current_text.group(1)) if current_text else 1
    points = numbered + [(current + 1, u) for u in nexts[:1]]
    if len({k for k, _ in points}) == 1:  # this page's own URL fixes offset-style numbering (offset=0, 12, 24)
        points.append((current, page.url))
    template = _template(points)
    if template is None and lasts:  # only a 尾页 link: its number is the last page (TRS _N files count from 0)
        field = _page_field(lasts[0])
        template = _Template(lasts[0], field[0], 1, field[1]) if field else None
    if template is None:
        js_url, js_tpl = _JS_PAGE_URL.search(live), _JS_PAGE_TEMPLATE.search(live)
        js_head, js_tail = (js_url.group(1), "") if js_url else js_tpl.groups() if js_tpl else ("", "")
        head = page.absolute(js_head + "1" + js_tail)
        if head and (js_url or js_tpl):
            template = _Template(head, len(_digit_runs(head[:len(head) - len(js_tail) - 1])[1]), 1, 0)
        elif count:  # a bare page count: the TRS file naming, 1-based file numbers for jQuery pagination's setPage
            prefix, ext, url_page = file_parts(page.url)
            shift = 0 if "setPage" in live else -1
            template = _Template(f"{prefix}_1.{ext}", len(_digit_runs(prefix)[1]), 1, shift)
            current = max(current, url_page)
        else:
            return []
        points = points or [(current + 1, template.url(current + 1))]
    here = template.page_of(page.url)
    current = here or current
    last_pages = [k for k in (template.page_of(page.absolute(u)) for u in lasts) if k]
    total = max(last_pages) if last_pages else count
    if total:
        return build_pages(page, template.url, current + 1, total, max_pages)
    known = sorted({k for k, _ in points if k > current})
    return build_pages(page, template.url, current + 1, max(known), max_pages) if known else []
