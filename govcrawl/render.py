"""When a page must go through the browser, and when its data can be fetched without one.

Static extraction always comes first; a browser is 50 times dearer. A page is rendered only when what the static
parse saw cannot be the whole truth: a list container left empty for scripts to fill, a known AJAX list pattern,
a homepage whose script computes where to go, or a registry row saying render=yes. When the script's data URL is
written out literally in the page, that URL is fetched instead (govcrawl.shapes.json_endpoint; the list extractor
reads JSON/JSONP/datastore bodies). The script patterns of known CMS families are their RENDER_HINTS (govcrawl/shapes).
"""
from __future__ import annotations

import re

from govcrawl.extract.listing import Listing
from govcrawl.extract.page import Page
from govcrawl.extract.redirects import find_redirect
from govcrawl.registry import Site
from govcrawl.shapes import inert_script, render_pattern

RENDER_ROLES = ("homepage", "column")
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
# badges, counters and menus that never fill a list; a family's own (TRS pagers) are its INERT_SCRIPTS
_INERT_SCRIPT = re.compile(r"conac|jiucuo|_ideConac|Article_Count|showMenu|document\.write\(\s*['\"]共", re.I)


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
    pattern = render_pattern(code)  # the page-shape families' RENDER_HINTS
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
    return "\n".join(code for code in (m.group(1) for m in _SCRIPT.finditer(page.text)) if not _INERT_SCRIPT.search(code) and not inert_script(code))
