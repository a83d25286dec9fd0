"""Links a visitor cannot see (暗链/黑链, review code hidden_links): from the DOM, inline styles, the page's own
<style> rules for classes and ids, and <marquee> boxes of zero height.

Only where a link is hidden and why is decided here; whether its target is a gambling, lottery or pornography site
outside government is the rule's business (govcrawl.rules.safety)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from govcrawl.extract.page import Page
from govcrawl.text import collapse_spaces

_DECL = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*([a-z0-9]*)([.#])([\w-]+)\s*$", re.I)
_OFFSCREEN_PX = 500   # a box moved further than this out of the page is off-screen
_ANCESTORS = 8        # how far up a link's ancestors are examined


@dataclass(frozen=True)
class HiddenLink:
    url: str
    text: str
    why: str          # display:none | visibility:hidden | off-screen | zero size | marquee height 0 | hidden attribute


def _declarations(style: str) -> dict[str, str]:
    return {k.lower(): v.strip().lower().replace("!important", "").strip() for k, v in _DECL.findall(style or "")}


def _px(value: str) -> float | None:
    m = re.match(r"^(-?\d+(?:\.\d+)?)(px|em|rem|pt|%)?$", value.strip())
    return float(m.group(1)) if m else None


def why_hidden(decl: dict[str, str]) -> str | None:
    """Why a box with these CSS declarations cannot be seen, or None."""
    if decl.get("display") == "none":
        return "display:none"
    if decl.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    for side in ("left", "top", "margin-left", "margin-top", "text-indent"):
        v = _px(decl.get(side, ""))
        if v is not None and v <= -_OFFSCREEN_PX:
            return f"off-screen ({side}:{decl[side]})"
    if decl.get("font-size") and _px(decl["font-size"]) == 0:
        return "zero size (font-size:0)"
    for dim in ("height", "width", "max-height"):
        if decl.get(dim) is not None and _px(decl[dim]) in (0, 1) and decl.get("overflow") == "hidden":
            return f"zero size ({dim}:{decl[dim]}, overflow:hidden)"
    if decl.get("opacity") is not None and _px(decl["opacity"]) == 0:
        return "opacity:0"
    return None


def _style_rules(page: Page) -> dict[tuple[str, str], dict[str, str]]:
    """('.', class) / ('#', id) -> declarations, from the page's <style> blocks; only simple selectors."""
    rules: dict[tuple[str, str], dict[str, str]] = {}
    for css in page.selector.xpath("//style/text()").getall():
        css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
        for selectors, body in _RULE.findall(css):
            decl = _declarations(body)
            for selector in selectors.split(","):
                m = _SIMPLE_SELECTOR.match(selector)
                if m:
                    rules.setdefault((m.group(2), m.group(3)), {}).update(decl)
    return rules


def _element_reason(el, rules) -> str | None:
    if el.get("hidden") is not None:
        return "hidden attribute"
    decl: dict[str, str] = {}
    for cls in (el.get("class") or "").split():
        decl.update(rules.get((".", cls), {}))
    if el.get("id"):
        decl.update(rules.get(("#", el.get("id")), {}))
    decl.update(_declarations(el.get("style") or ""))
    if el.tag == "marquee":
        height = el.get("height") or decl.get("height") or ""
        if _px(height) is not None and _px(height) <= 1:
            return f"marquee height {height}"
    return why_hidden(decl)


def hidden_links(page: Page) -> list[HiddenLink]:
    """Every link of the page that sits in a box the visitor cannot see (or is one), with the reason."""
    rules = _style_rules(page)
    out, seen = [], set()
    for anchor in page.selector.xpath("//body//a[@href]"):
        el = anchor.root
        url = page.absolute(el.get("href"))
        if url is None:
            continue
        reason = None
        node, depth = el, 0
        while node is not None and depth <= _ANCESTORS and reason is None and isinstance(node.tag, str):
            if node.tag in ("body", "html"):
                break
            reason = _element_reason(node, rules)
            node, depth = node.getparent(), depth + 1
        if reason and (url, reason) not in seen:
            seen.add((url, reason))
            text = collapse_spaces("".join(el.itertext())) or (el.get("title") or "")
            out.append(HiddenLink(url, text, reason))
    return out
