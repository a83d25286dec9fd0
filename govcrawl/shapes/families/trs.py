"""TRS WCM (拓尔思): static list pages index.shtml, index_1.shtml … numbered by createPageHTML(count, current, prefix,
ext) or inline countPage/currentPage variables; articles at ./t20190121_52601.shtml."""
from __future__ import annotations

import re

from govcrawl.extract.page import Page
from govcrawl.extract.pagers import build_pages, file_parts

NAME = "trs"
PRIORITY = 15
_TRS_CALL = re.compile(r"\bcreatePage(?:HTML)?\s*\(([^()]*)\)")
_ARG = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|(-?\d+)|([A-Za-z_$][\w$]*))\s*(?:,|$)""")
INERT_SCRIPTS = r"createPageHTML|countPage"  # the pager script writes links, never the list
_SIGN = re.compile(r"\bcreatePage|\bcountPage\b")


def recognise(page: Page) -> bool:
    return bool(_SIGN.search(page.text))


def next_pages(page: Page, live: str, max_pages: int) -> list[str] | None:
    """The TRS pager call, else the inline countPage variables; None when the live code has neither."""
    urls = _trs_call(page, live, max_pages)
    return urls if urls is not None else _trs_inline(page, live, max_pages)


def _trs_page(page: Page, prefix: str, ext: str, count: int, current: int, max_pages: int) -> list[str]:
    file_prefix, _ext, url_page = file_parts(page.url)
    if file_prefix == prefix and url_page > 1:
        current = url_page  # the URL is authoritative about which page this is
    return build_pages(page, lambda k: f"{prefix}_{k - 1}.{ext}", current + 1, count, max_pages)


def _trs_call(page: Page, live: str, max_pages: int) -> list[str] | None:
    for m in _TRS_CALL.finditer(live):
        args = []
        for a in _ARG.finditer(m.group(1)):
            s = a.group(1) if a.group(1) is not None else a.group(2)
            if a.group(4):  # a variable: resolve it from the live code
                v = re.search(r"\b" + re.escape(a.group(4)) + r"\s*=\s*(\d+)", live)
                args.append(int(v.group(1)) if v else None)
            else:
                args.append(s if s is not None else int(a.group(3)))
        if len(args) >= 5 and isinstance(args[0], str) and all(isinstance(x, int) for x in args[1:3]):
            count, current, rest = args[1], args[2], args[3:5]  # container id first: 1-based current page
        elif len(args) >= 2 and all(isinstance(x, int) for x in args[:2]):
            count, current, rest = args[0], args[1] + 1, args[2:4]
        else:
            continue
        prefix, ext, _ = file_parts(page.url)
        if len(rest) == 2 and all(isinstance(x, str) and re.fullmatch(r"\w+", x) for x in rest):
            prefix, ext = rest
        return _trs_page(page, prefix, ext, count, current, max_pages)
    return None


def _trs_inline(page: Page, live: str, max_pages: int) -> list[str] | None:
    count = re.search(r"\bcountPage\s*=\s*(\d+)", live)
    if not count:
        return None
    current = re.search(r"\bcurrentPage\s*=\s*(\d+)", live)
    prefix = re.search(r"[\"'](\w+?)[\"']\s*\+\s*[\"']_[\"']", live) or re.search(r"[\"'](\w+?)_[\"']\s*\+", live)
    ext = re.search(r"[\"']\.[\"']\s*\+\s*[\"'](\w+)[\"']", live) or re.search(r"[\"']\.(s?html?|jsp|php|aspx?)\\?[\"']", live)
    url_prefix, url_ext, _ = file_parts(page.url)
    return _trs_page(page, prefix.group(1) if prefix else url_prefix, ext.group(1) if ext else url_ext,
                     int(count.group(1)), int(current.group(1)) + 1 if current else 1, max_pages)
