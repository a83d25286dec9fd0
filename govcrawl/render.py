"""When a page must go through the browser, and when its data can be fetched without one.

Static extraction always comes first; a browser is 50 times dearer. A page is rendered only when what the static
parse saw cannot be the whole truth: a list container left empty for scripts to fill, a known AJAX list pattern,
a homepage whose script computes where to go, or a registry row saying render=yes. When the script's data URL is
written out literally in the page, that URL is fetched instead (the list extractor reads JSON/JSONP/datastore bodies).
"""
from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from govcrawl.extract import hanweb
from govcrawl.extract.listing import Listing
from govcrawl.extract.page import Page
from govcrawl.extract.redirects import find_redirect
from govcrawl.registry import Site

RENDER_ROLES = ("homepage", "column")
# Known ways government CMSs deliver a list by script (page-samples/ajax_list_variants.txt, hanweb_*), by name.
AJAX_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(p, re.I)) for name, p in (
    ("truecms", r"""id\s*=\s*["']?initData\b|messageController/getMessage"""),
    ("jpage", r"\.jpage\s*\(|dataproxy\.jsp|\bInitData\d*\b"),
    ("jcms", r"""class\s*=\s*["'][^"']*default_pgContainer"""),
    ("epoint", r"epoint(?:zwmhwz|web|-httpserver)?/|\bepoint\.\w+\s*\(|/frame/fui/"),
    ("channel-api", r"""<meta[^>]+name\s*=\s*["']channelId["']|getFileListByCodeId"""),
    ("template", r"ms-(?:repeat|for)\b|\bv-for\s*=|ng-repeat\s*=|\{\{\s*[\w.]+\s*\}\}|\.tmpl\s*\(|template\s*\("),
    ("xhr", r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b"),
)]
_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.S | re.I)
_LOCATION = re.compile(r"(?<![\w$])(?:(?:window|top|self|parent|document)\s*\.\s*)?location"
                       r"(?:\s*\.\s*href)?\s*=(?!=)\s*(?P<rhs>[^;\n]+)"
                       r"|(?<![\w$])location\s*\.\s*(?:replace|assign)\s*\(\s*(?P<arg>[^;\n]+)\)")
_LITERAL = re.compile(r"""^\s*(['"])[^'"\\]*\1\s*$""")
_SELF_TARGET = re.compile(r"^\s*(?:(?:window|top|self|parent|document)\s*\.\s*)?location(?:\s*\.\s*href)?\s*$")
_DEVICE_CHECK = re.compile(r"userAgent|mobile|screen\.width|innerWidth|\bios\b|android|iphone", re.I)
_FEW_LINKS = 12
_LISTY = "list|news|info|pgcontainer|msg|article|content|xxgk|wj"
_CONTAINER_XPATH = (
    "//*[self::div or self::ul or self::ol or self::table or self::tbody or self::dl][not(ancestor::nav)]"
    f"[re:test(concat(@id,' ',@class), '{_LISTY}', 'i') or re:test(@id, '^\\d{{3,}}$')]"
    "[not(re:test(concat(@id,' ',@class), 'nav|menu|head|foot|banner|link|crumb|page', 'i'))]")
_INERT_SCRIPT = re.compile(r"conac|jiucuo|_ideConac|createPageHTML|countPage|Article_Count|showMenu|"
                           r"document\.write\(\s*['\"]共", re.I)
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


def ajax_pattern(text: str) -> str | None:
    """Name of the first known script-delivered list pattern in the page, else None."""
    return next((name for name, pattern in AJAX_PATTERNS if pattern.search(text)), None)


def computed_redirect(page: Page) -> bool:
    """A script sends the visitor elsewhere to a target it computes (so only a browser knows where), on a page that
    is little more than that script. Literal targets are govcrawl.extract.redirects' business; frame-busting and
    device switches (mobile sites) are no redirect for a desktop visitor."""
    if len(page.selector.xpath("//a[@href]")) > _FEW_LINKS:
        return False
    for script in _SCRIPT.finditer(page.text):
        for m in _LOCATION.finditer(script.group(1)):
            target = (m.group("rhs") or m.group("arg") or "").strip()
            statement = script.group(1)[max(0, m.start() - 200):m.end()]
            if not target or _LITERAL.match(target) or _SELF_TARGET.match(target):
                continue
            if _DEVICE_CHECK.search(statement):
                continue
            return True
    return False


def render_reason(page: Page, listing: Listing | None, role: str, site: Site) -> str | None:
    """Why this statically fetched page must be rendered, or None. Reasons (stats govcrawl/render/<reason>):
    registry | js-redirect | ajax-<pattern> | empty-list."""
    if role not in RENDER_ROLES:
        return None
    if site.render:
        return "registry"
    if role == "homepage" and find_redirect(page) is None and computed_redirect(page):
        return "js-redirect"
    if listing is None or listing.entries or listing.blank_marker:
        return None
    return script_filled(page, listing.has_scripts_without_list)


def script_filled(page: Page, scripts_hinted: bool) -> str | None:
    """Why the page's list, or a block of it, is left for a script to fill (ajax-<pattern> | empty-list), else None.
    `scripts_hinted`: the list extractor saw list-filling script hints (Listing.has_scripts_without_list)."""
    empty = empty_list_container(page) or empty_list_element(page)
    code = _filling_code(page)
    pattern = ajax_pattern(code)
    if pattern is not None and (empty or pattern != "xhr"):
        return f"ajax-{pattern}"
    return "empty-list" if empty and scripts_hinted and code.strip() else None


def empty_list_container(page: Page) -> bool:
    """A list-named (or Hanweb unit-id) container with nothing in it: the place a script fills."""
    for el in page.selector.xpath(_CONTAINER_XPATH):
        if not el.xpath(".//a[@href]") and len("".join(el.xpath(".//text()[not(ancestor::script)]").getall()).strip()) < 20:
            return True
    return False


def empty_list_element(page: Page) -> bool:
    """A list element (ul, ol, tbody, dl) with no item at all, outside menus: static markup never ships one empty
    unless a script fills it, whatever its class is called."""
    return bool(page.selector.xpath("//*[self::ul or self::ol or self::tbody or self::dl][not(*)]"
                                    "[not(ancestor::nav or ancestor::header or ancestor::footer)]"
                                    "[not(normalize-space(.))]"))


def _filling_code(page: Page) -> str:
    """Inline script code that may fill a list: badges (conac, 纠错), pagers and counters do not."""
    return "\n".join(code for code in (m.group(1) for m in _SCRIPT.finditer(page.text)) if not _INERT_SCRIPT.search(code))


def json_endpoint(page: Page) -> str | None:
    """Absolute URL of the list's data (JSON/JSONP/datastore) when the page's script names it literally and fetches it
    by GET; such a URL is fetched without a browser. POST calls and computed URLs return None (they need rendering)."""
    for script in _SCRIPT.finditer(page.text):
        code = script.group(1)
        for url in _literal_get_urls(code):
            absolute = page.absolute(url)
            if absolute and not _NOT_DATA.search(urlsplit(absolute).path):
                return absolute
    return _jpage_endpoint(page)


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


def _jpage_endpoint(page: Page) -> str | None:
    """Page 1 of a Hanweb jpage list from its dataproxy, only when the page states the proxy path itself (the path
    differs per site and a guessed one answers 404)."""
    for unit in hanweb.jpage_units(page.text):
        if unit.proxy_url and unit.params:
            return page.absolute(f"{unit.proxy_url}?page=1&{urlencode(unit.params, safe='/')}")
    return None
