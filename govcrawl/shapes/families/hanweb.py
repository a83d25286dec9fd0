"""Hanweb 大汉 jcms: lists shipped as <datastore> CDATA records (inline, or from /module/web/jpage/dataproxy.jsp), old
`var InitData<unitid> = [...]` arrays, jpage() pagers with totalRecord/perPage; articles at /art/2022/1/20/art_12_34.html.
The markup parser is govcrawl/extract/hanweb.py."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from govcrawl.extract import hanweb
from govcrawl.extract.listing import Group, RowReader
from govcrawl.extract.page import Page
from govcrawl.extract.pagers import build_pages

NAME = "hanweb"
PRIORITY = 20
RENDER_HINTS = [("jpage", r"\.jpage\s*\(|dataproxy\.jsp|\bInitData\d*\b"),
                ("jcms", r"""class\s*=\s*["'][^"']*default_pgContainer""")]
LIST_SCRIPTS = r"jpage\s*\(|dataproxy|InitData"
_SIGN = re.compile(r"<datastore|<recordset|<totalrecord|<nextgroup|InitData|\.jpage\s*\(|default_pgContainer", re.I)
_EMPTY_RECORDSET = re.compile(r"<recordset>\s*</recordset>|<totalrecord>\s*0\s*</totalrecord>", re.I)


def recognise(page: Page) -> bool:
    return "dataproxy" in page.url or bool(_SIGN.search(page.text))


def list_groups(reader: RowReader, page: Page) -> list[Group]:
    """One row group per datastore or InitData array (in a JSON body the datastore sits inside an escaped string:
    the AJAX family reads it there)."""
    if reader.json_body is not None:
        return []
    stores = hanweb.datastore_records(page.text) + hanweb.init_data_records(page.text)
    return [g for records in stores for g in reader.fragment_groups(hanweb.records_as_html(records), boost=1.5)]


def declared_empty(page: Page) -> bool:
    """A datastore that is empty, or every jpage unit stating totalRecord 0."""
    units = hanweb.jpage_units(page.text)
    if units:
        return all(u.total_record == 0 for u in units)
    return bool(_EMPTY_RECORDSET.search(page.text))


def json_endpoint(page: Page) -> str | None:
    """Page 1 of a jpage list from its dataproxy, only when the page states the proxy path itself (the path differs
    per site and a guessed one answers 404)."""
    for unit in hanweb.jpage_units(page.text):
        if unit.proxy_url and unit.params:
            return page.absolute(f"{unit.proxy_url}?page=1&{urlencode(unit.params, safe='/')}")
    return None


def _with_page(url: str, k: int) -> str:
    return re.sub(r"([?&]page=)\d+", lambda m: f"{m.group(1)}{k}", url, count=1)


def next_pages(page: Page, live: str, max_pages: int) -> list[str] | None:
    """The next dataproxy pages of a jpage unit (or of a dataproxy response); None without jpage or nextgroup."""
    text = page.text
    if "dataproxy" in page.url and "<datastore" in text.lower():  # a dataproxy response: continue from its page=N
        current = re.search(r"[?&]page=(\d+)", page.url)
        per_page = re.search(r"[?&]perpage=(\d+)", page.url)
        count = hanweb.datastore_page_count(text, int(per_page.group(1)) if per_page else None)
        if not current or count is None:
            return []
        return build_pages(page, lambda k: _with_page(page.url, k), int(current.group(1)) + 1, count, max_pages)
    units, nextgroup = hanweb.jpage_units(live), hanweb.nextgroup_href(text)
    if not units and not nextgroup:
        return None
    unit = next((u for u in units if nextgroup and f"unitid={u.unitid}" in nextgroup), units[0] if units else None)
    count = (unit.page_count if unit else None) or hanweb.datastore_page_count(text, unit.per_page if unit else None)
    if nextgroup and re.search(r"[?&]page=\d+", nextgroup):
        make = lambda k: _with_page(nextgroup, k)  # noqa: E731
    elif unit:
        proxy = unit.proxy_url or (hanweb.jpage_script_dir(text) or "/module/web/jpage/") + "dataproxy.jsp"
        params = urlencode(unit.params, safe="/")
        make = lambda k: f"{proxy}?page={k}" + (f"&{params}" if params else "")  # noqa: E731
    else:
        return []
    return build_pages(page, make, 2, count or 2, max_pages)
