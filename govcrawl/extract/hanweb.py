"""Hanweb (大汉 jcms) list pieces hidden from HTML parsers: <datastore> CDATA records, old InitData arrays, jpage() options."""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

_DATASTORE = re.compile(r"<datastore\b.*?(?:</datastore>|$)", re.S | re.I)
_RECORD = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[((?:(?!\]\]>).)*)\]\]>|((?:(?!</record>).)*))\s*</record>", re.S | re.I)
_COMMENT = re.compile(r"<!--(?!\[CDATA).*?-->", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</nextgroup>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.I)
_TOTAL_RECORD_TAG = re.compile(r"<totalrecord>\s*(\d+)", re.I)
_TOTAL_PAGE_TAG = re.compile(r"<totalpage>\s*(\d+)", re.I)
_INIT_DATA = re.compile(r"\bvar\s+InitData\w*\s*=\s*\[", re.I)
_JPAGE_CALL = re.compile(r"""\$\(\s*['"]#([\w-]+)['"]\s*\)\s*\.\s*jpage\s*\(\s*\{""")
_JS_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))""")
_JPAGE_SCRIPT_SRC = re.compile(r"""<script[^>]+src\s*=\s*["']?([^"'\s>]*/jpage/[^"'\s>]*)""", re.I)


def datastore_records(text: str) -> list[list[str]]:
    """The record fragments of every <datastore> in the text (inline script or a whole dataproxy body)."""
    stores = []
    for store in _DATASTORE.finditer(_COMMENT.sub("", text)):
        records = [(m.group(1) if m.group(1) is not None else html.unescape(m.group(2) or "")).strip()
                   for m in _RECORD.finditer(store.group(0))]
        records = [r for r in records if r]
        if records:
            stores.append(records)
    return stores


def _js_strings(text: str, start: int) -> list[str]:
    """Quoted strings of a JS array literal starting after its '[' (comments skipped, stops at the closing ']')."""
    out, i, n = [], start, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            j, buf = i + 1, []
            while j < n and text[j] != ch:
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            out.append("".join(buf))
            i = j + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch == "]":
            break
        else:
            i += 1
    return out


def init_data_records(text: str) -> list[list[str]]:
    """Old jcms pages (2014) ship the first page as `var InitData<unitid> = ['<li>…</li>', …]`."""
    arrays = [_js_strings(text, m.end()) for m in _INIT_DATA.finditer(text)]
    return [[s.strip() for s in a if s.strip()] for a in arrays if a]


def records_as_html(records: list[str]) -> str:
    """One wrapper per record, so each record becomes one row whatever its own markup (li, table, bare a)."""
    return "<html><body><div class='records'>" + "".join(f"<div>{r}</div>" for r in records) + "</div></body></html>"


def object_at(text: str, start: int) -> str:
    """The balanced {...} body beginning right after the '{' at start-1."""
    depth, i = 1, start
    while i < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start:i - 1]


def js_pairs(obj: str) -> dict[str, str]:
    """Flat key: value pairs of a JS object literal body (strings unquoted)."""
    out: dict[str, str] = {}
    for m in _JS_PAIR.finditer(obj):
        value = next(g for g in m.groups()[1:] if g is not None)
        out.setdefault(m.group(1), value)
    return out


@dataclass
class JpageUnit:
    """One jpage list unit of a Hanweb page: its id, paging figures and dataproxy URL with its parameters."""
    unitid: str
    params: dict[str, str] = field(default_factory=dict)
    total_record: int | None = None
    per_page: int | None = None
    proxy_url: str | None = None

    @property
    def page_count(self) -> int | None:
        if self.total_record is None:
            return None
        return max(1, math.ceil(self.total_record / (self.per_page or 15)))


def _int(value: str | None) -> int | None:
    m = re.search(r"\d+", value or "")
    return int(m.group(0)) if m and len(m.group(0)) < 10 else None


def jpage_units(text: str) -> list[JpageUnit]:
    """Every `$('#unitid').jpage({...})` call with its paging options and request parameters."""
    units = []
    for m in _JPAGE_CALL.finditer(text):
        obj = object_at(text, m.end())
        opts = js_pairs(obj)
        unit = JpageUnit(m.group(1), total_record=_int(opts.get("totalRecord")), per_page=_int(opts.get("perPage")),
                         proxy_url=opts.get("proxyUrl"))
        ajax = re.search(r"ajaxParam\s*:\s*\{", obj)
        if ajax:
            unit.params = js_pairs(object_at(obj, ajax.end()))
        param_var = re.search(r"\bvar\s+param_" + re.escape(unit.unitid) + r"\s*=\s*\{", text)
        if param_var and not unit.params:
            unit.params = js_pairs(object_at(text, param_var.end()))
        units.append(unit)
    return units


def nextgroup_href(text: str) -> str | None:
    m = _NEXTGROUP.search(text)
    href = _HREF.search(m.group(1)) if m else None
    return html.unescape(href.group(1)) if href else None


def datastore_page_count(text: str, per_page: int | None) -> int | None:
    """Page count a dataproxy response states (<totalpage>, else <totalrecord> / per_page)."""
    m = _TOTAL_PAGE_TAG.search(text)
    if m:
        return int(m.group(1))
    m = _TOTAL_RECORD_TAG.search(text)
    if m and per_page:
        return max(1, math.ceil(int(m.group(1)) / per_page))
    return None


def jpage_script_dir(text: str) -> str | None:
    """Directory the jpage library is loaded from; its dataproxy.jsp sits next to it."""
    m = _JPAGE_SCRIPT_SRC.search(text)
    return m.group(1).rsplit("/", 1)[0] + "/" if m else None
