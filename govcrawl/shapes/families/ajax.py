"""Lists delivered as data (AJAX/JSON lists): JSON/JSONP bodies, JS literals inside page scripts (`var itemObj =
[{aT, aPd, aU}]`), list markup inside JSON strings (JCMS `data.html`, TrueCMS `result`), list templates and XHR calls
a script fills; the data URL when a script names it literally and fetches it by GET. The parsers are
govcrawl/extract/jsdata.py (JSON, JS literals) and govcrawl/extract/hanweb.py (a <datastore> inside a JSON string)."""
from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from govcrawl.extract import hanweb, jsdata
from govcrawl.extract.listing import Group, RowReader
from govcrawl.extract.page import Page

NAME = "ajax"
PRIORITY = 60
RENDER_HINTS = [("template", r"ms-(?:repeat|for)\b|\bv-for\s*=|ng-repeat\s*=|\{\{\s*[\w.]+\s*\}\}|\.tmpl\s*\(|template\s*\("),
                ("xhr", r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b")]
LIST_SCRIPTS = (r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|axios\.|ms-repeat|v-for=|ng-repeat|\{\{\s*\w"
                r"|\.pagination\s*\(|\.tmpl\s*\(|template\s*\(")
_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)
# GET data calls whose first argument, or url: option, is one string literal
_Q = r"""(?P<q>['"])(?P<url>[^'"\\\s]+)(?P=q)"""
_GET_CALLS = [re.compile(p, re.I) for p in (
    r"\$\.(?:getJSON|get)\s*\(\s*" + _Q + r"\s*[,)]",
    r"(?<![\w.$])fetch\s*\(\s*" + _Q + r"\s*[,)]",
    r"axios\.get\s*\(\s*" + _Q + r"\s*[,)]",
    r"\.open\s*\(\s*['\"]GET['\"]\s*,\s*" + _Q + r"\s*[,)]",
)]
_AJAX_CALL = re.compile(r"\$\.ajax\s*\(\s*\{", re.I)
_AJAX_URL = re.compile(r"(?<![\w$])url\s*:\s*" + _Q + r"\s*[,}\n]", re.I)
_AJAX_POST = re.compile(r"""(?:type|method)\s*:\s*['"]post['"]""", re.I)
_AJAX_DATA = re.compile(r"(?<![\w$])data\s*:\s*\{", re.I)
_NOT_DATA = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|woff2?|html?)(?:\?|$)|/module/visit/|jiucuo|count|stat", re.I)


def list_groups(reader: RowReader, page: Page) -> list[Group]:
    """Data lists of the JSON body, or of the page's script literals, and list markup inside their strings."""
    body = reader.json_body
    values = ([body] if body is not None else []) + (jsdata.script_literals(page.text) if reader.html_page else [])
    groups: list[Group] = []
    for value in values:
        groups += [g for items in jsdata.data_lists(value) if (g := reader.data_group(items))]
        for markup in jsdata.html_strings(value):
            if "<datastore" in markup.lower():
                groups += [g for recs in hanweb.datastore_records(markup)
                           for g in reader.fragment_groups(hanweb.records_as_html(recs), 1.5)]
            else:
                groups += reader.fragment_groups(markup, 1.5)
    return groups


def json_endpoint(page: Page) -> str | None:
    """The first data URL a script names literally and fetches by GET; POST calls and computed URLs give None (they
    need rendering)."""
    for script in _SCRIPT.finditer(page.text):
        for url in _literal_get_urls(script.group(1)):
            absolute = page.absolute(url)
            if absolute and not _NOT_DATA.search(urlsplit(absolute).path):
                return absolute
    return None


def _literal_get_urls(code: str) -> list[str]:
    found = [(m.start(), m.group("url")) for pattern in _GET_CALLS for m in pattern.finditer(code)]
    for call in _AJAX_CALL.finditer(code):
        options = hanweb.object_at(code, call.end())
        url = _AJAX_URL.search(options)
        if url is None or _AJAX_POST.search(options):
            continue
        data = _AJAX_DATA.search(options)
        target = url.group("url")
        if data:
            pairs = hanweb.js_pairs(hanweb.object_at(options, data.end()))
            if not pairs or any(not re.fullmatch(r"[\w./%:-]*", v) for v in pairs.values()):
                continue  # data computed at run time: the browser must build the request
            target += ("&" if "?" in target else "?") + urlencode(pairs, safe="/")
        found.append((call.start(), target))
    return [url for _, url in sorted(found)]
