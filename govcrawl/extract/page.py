"""A fetched page as every extractor sees it: its URL and decoded text, parsed once."""
from __future__ import annotations

import posixpath
import re
from functools import cached_property
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from parsel import Selector
from selectolax.lexbor import LexborHTMLParser

from govcrawl.text import collapse_spaces

_NOT_LINKS = ("javascript:", "mailto:", "tel:", "data:", "file:", "ftp:", "about:", "#")


def html5_markup(text: str) -> str:
    """The document as the HTML5 algorithm (the one browsers follow; lexbor) builds it, written back with every end
    tag explicit. Hand-edited pages leave rows and <font>s open and drop stray end tags; libxml2 then nests each row
    inside the one before, while this markup gives it the flat tree a browser shows."""
    if not text or not text.strip():
        return text or ""
    return LexborHTMLParser(text).html or text


def parse_html(text: str):
    """The lxml root of `text` as a browser would build it, or None for an empty document."""
    markup = html5_markup(text)
    try:
        return lxml.html.document_fromstring(markup) if markup.strip() else None
    except (lxml.etree.ParserError, ValueError):
        return None


class Page:
    """`url` is the URL the text came from (after redirects); `text` is the decoded HTML."""

    def __init__(self, url: str, text: str):
        self.url = url
        self.text = text or ""
        # extractors resolve the same hrefs many times (every ancestor row of an anchor sees it again)
        self._absolute: dict[str | None, str | None] = {}

    @cached_property
    def selector(self) -> Selector:
        return Selector(text=html5_markup(self.text) or "<html></html>", type="html", base_url=self.url)

    @cached_property
    def base_url(self) -> str:
        href = self.selector.xpath("//base/@href").get()
        if href and href.strip().lower().startswith(("http://", "https://", "/")):
            return urljoin(self.url, href.strip())
        return self.url

    @cached_property
    def visible_text(self) -> str:
        """The body's text outside scripts and styles, whitespace folded."""
        if self.selector.type != "html":
            return collapse_spaces(re.sub(r"<[^>]+>", " ", self.text))
        texts = self.selector.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall()
        return collapse_spaces(" ".join(texts))

    def absolute(self, href: str | None) -> str | None:
        """The absolute http(s) URL an href points to, or None for non-links (computed once per href)."""
        try:
            return self._absolute[href]
        except KeyError:
            url = self._absolute[href] = self._resolve(href)
            return url

    def _resolve(self, href: str | None) -> str | None:
        if not href:
            return None
        href = re.sub(r"[\s\u3000]+", "", href)
        if not href or href.lower().startswith(_NOT_LINKS):
            return None
        url = urljoin(self.base_url, href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        path = parts.path or "/"
        # '../' past the root clamps to '/', as browsers do
        norm = posixpath.normpath(path)
        if norm.startswith("//"):
            norm = "/" + norm.lstrip("/")
        if path.endswith("/") and not norm.endswith("/"):
            norm += "/"
        return urlunsplit((parts.scheme, parts.netloc.lower(), norm, parts.query, ""))
