"""Redirects a page performs itself: meta refresh, unconditional JavaScript location changes, and
"本网站已迁移至…" notices whose page is little more than the notice."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from govcrawl.extract.page import Page
from govcrawl.scope import normalize_url
from govcrawl.vocabulary import VOCABULARY


@dataclass
class InPageRedirect:
    kind: str    # meta-refresh | js-location | moved-notice
    url: str


_REFRESH = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(?P<url>[^'"]*)\1\s*;?\s*$""", re.I)
_STRING = r"""(?P<q>['"])(?P<url>[^'"\\]+)(?P=q)"""
_OWNER = r"(?<![\w.$])(?:(?:window|top|self|parent|document)\s*\.\s*)?"
_JS_LOCATION = [re.compile(_OWNER + p) for p in (
    r"location(?:\s*\.\s*href)?\s*=\s*" + _STRING + r"(?!\s*\+)",
    r"location\s*\.\s*(?:replace|assign)\s*\(\s*" + _STRING + r"\s*\)",
    r"navigate\s*\(\s*" + _STRING + r"\s*\)")]
# Wrappers that run their body unconditionally: their braces do not make a statement conditional.
_PLAIN_WRAPPER = re.compile(
    r"(?:setTimeout\s*\(\s*function\s*\(\s*\)|onload\s*=\s*function\s*\(\s*\)|\$\s*\(\s*function\s*\(\s*\)|"
    r"ready\s*\(\s*function\s*\(\s*\)|addEventListener\s*\([^)]*function\s*\([^)]*\)|\(\s*\)\s*=>)\s*$")
_CONDITIONAL = re.compile(r"(?:\bif\b|\belse\b|\?|&&|\|\||\bcase\b|\bwhile\b|\bfor\b)")
_TIMEOUT_STRING = re.compile(r"""setTimeout\s*\(\s*(['"])(?P<code>.*?)\1""", re.S)
_MOVED = VOCABULARY.pattern("moved.words")  # vocabulary.toml [moved]
_TEXT_URL = re.compile(r"https?://[\w.-]+(?::\d+)?(?:/[^\s\"'<>，。；）)]*)?", re.I)
_BARE_HOST = re.compile(
    r"(?<![\w.@/-])((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov\.cn|org\.cn|com\.cn|cn|com|net|org))(?![\w.-])", re.I)
# footer badges on every page, never the new site
_BADGE_HOST = re.compile(r"beian|miibeian|conac\.cn|zfwzgl|kaipuyun|jiucuo|121\.43\.68\.40", re.I)
_SPACE = re.compile(r"[\s\u3000\u00a0]+")
_SHORT_PAGE = 400   # visible characters: above this the page is a normal page that mentions a move
_FEW_LINKS = 12


def find_redirect(page: Page) -> InPageRedirect | None:
    return _meta_refresh(page) or _js_location(page) or _moved_notice(page)


def _target(page: Page, href: str | None) -> str | None:
    """Absolute target, or None when it is empty, not http(s), or this same page."""
    url = page.absolute(href.strip()) if href else None
    if url is None or normalize_url(url) == normalize_url(page.url):
        return None
    return url


def _meta_refresh(page: Page) -> InPageRedirect | None:
    for content in page.selector.xpath(
            "//meta[translate(@http-equiv,'REFSH','refsh')='refresh'][not(ancestor::noscript)]/@content").getall():
        match = _REFRESH.match(content)
        url = _target(page, match.group("url")) if match else None
        if url:
            return InPageRedirect("meta-refresh", url)
    return None


def _js_location(page: Page) -> InPageRedirect | None:
    sel = page.selector
    scripts = sel.xpath("//script[not(@src)]/text()").getall()
    scripts += sel.xpath("//body/@onload").getall()
    for code in scripts:
        code = _strip_comments(code)
        found = [(m.start(), m.group("url")) for p in _JS_LOCATION for m in p.finditer(code)]
        for timer in _TIMEOUT_STRING.finditer(code):  # setTimeout("location.href='…'", 3000): judged where it runs
            found += [(timer.start(), m.group("url")) for p in _JS_LOCATION for m in p.finditer(timer.group("code"))]
        for at, href in sorted(found):
            url = _target(page, href) if _unconditional(code, at) else None
            if url:
                return InPageRedirect("js-location", url)
    return None


def _strip_comments(code: str) -> str:
    code = re.sub(r"/\*.*?\*/", " ", code, flags=re.S)
    code = re.sub(r"(?m)^\s*//.*$", " ", code)
    return code.replace("<!--", " ").replace("-->", " ")


def _unconditional(code: str, at: int) -> bool:
    """The statement at `at` runs whenever the script runs: not inside a function body, an if/else, a loop,
    or a conditional expression (setTimeout/onload/ready wrappers are fine)."""
    stack: list[bool] = []  # per open brace: does it open a plain wrapper?
    for i, char in enumerate(code[:at]):
        if char == "{":
            stack.append(bool(_PLAIN_WRAPPER.search(code, max(0, i - 60), i)))
        elif char == "}" and stack:
            stack.pop()
    if not all(stack):
        return False
    statement = re.split(r"[;{}]", code[:at])[-1]
    return not _CONDITIONAL.search(statement)


def _moved_notice(page: Page) -> InPageRedirect | None:
    body = page.selector.root.find("body")
    if body is None or len(body.findall(".//a[@href]")) > _FEW_LINKS:
        return None
    pieces: list[str] = []
    length = 0
    at = -1  # where the notice starts; a link text (a news title) saying 迁移 is no notice
    candidates: list[tuple[int, str]] = []  # (position in the text, url)
    for kind, value in _walk(body, in_link=False):
        if kind == "link":
            url = _target(page, value)
            if url and not _BADGE_HOST.search(urlsplit(url).hostname or ""):
                candidates.append((length, url))
            continue
        text = _SPACE.sub(" ", value)
        moved = _MOVED.search(text) if kind == "text" and at < 0 else None
        if moved:
            at = length + moved.start()
        pieces.append(text)
        length += len(text)
    text = "".join(pieces)
    if at < 0 or len(_SPACE.sub("", text)) > _SHORT_PAGE:
        return None
    for match in _TEXT_URL.finditer(text):
        url = _target(page, match.group(0))
        if url:
            candidates.append((match.start(), url))
    for match in _BARE_HOST.finditer(_TEXT_URL.sub(lambda m: " " * len(m.group(0)), text)):
        url = _target(page, f"http://{match.group(1).lower()}/")
        if url and urlsplit(url).hostname != urlsplit(page.url).hostname:
            candidates.append((match.start(), url))
    if not candidates:
        return None
    # nearest to the notice, ties going to what follows it ("已迁移至 <a>新网址</a>")
    best = min(candidates, key=lambda c: (abs(c[0] - at), c[0] < at))
    return InPageRedirect("moved-notice", best[1])


def _walk(el, in_link: bool):
    """Document-order ("link", href) and ("text" | "link-text", text) events of visible content."""
    if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
        return
    if el.tag == "a" and el.get("href"):
        in_link = True
        yield "link", el.get("href")
    if el.text:
        yield ("link-text" if in_link else "text"), el.text
    for child in el:
        yield from _walk(child, in_link)
        if child.tail:
            yield ("link-text" if in_link else "text"), child.tail
