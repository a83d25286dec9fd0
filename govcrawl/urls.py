"""The one URL classifier: what a link's URL says about the page behind it (an article, a column list, neither).

Two strengths of the same knowledge. `is_article_url` is proof: the URL has an article's form in a known CMS
(TRS t20190121_52601.shtml, Hanweb /art/2019/1/2/art_12_34.html, a file under a date directory, a numeric-id
detail page, an id= query off a list path), so navigation never takes such a link for a column. `looks_like_article`
adds hints that only weigh a list row (detail/show/view words, hex or UUID ids, attachments), and
`looks_like_column` marks index/list pages and column ids.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

_ARTICLE_PATH = re.compile(
    r"/t\d{8}_\d+[^/]*$"                                  # TRS t20190121_52601.shtml
    r"|/art/\d{4}/(?:\d{1,2}/\d{1,2}/)?art_\w+\.\w+$"     # Hanweb /art/2019/1/2/art_12_34.html, JPaaS art_<hex>
    r"|/(?:content|post|article|doc|news|detail|info|show|view)[_-]?(?:\d+|[0-9a-f]{16,})\.\w+$"  # content_123.htm
    r"|/c/\d{4}-\d{1,2}-\d{1,2}/|/\d{4}/\d{1,2}-\d{1,2}/"  # /c/2026-09-02/1.shtml, /2026/09-11/1.html
    r"|/(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:\d{2})?/[^/]+\.\w+$"  # files under a date directory /202609/, /20260108/
    r"|/[a-z]{0,3}[_-]?\d{4,}\.(?:s?html?|jsp|aspx?|php)$",  # numeric-id detail pages 12345.html, i1234.html
    re.I)
_INDEX_FILE = re.compile(r"/index[_\w]*\.\w+$", re.I)
_LIST_PATH = re.compile(r"(?:^|/)(?:col|list|lists|channel|column|lm|node|category|catalog|class)[_/-]?\w*", re.I)
_ARTICLE_QUERY = re.compile(r"(?:^|&)(?:id|newsid|articleid|docid|contentid|infoid|messagekey|aid|artid|itemid)=\w",
                            re.I)
# hints that weigh a list row only: looser forms of the above, detail words, opaque ids, attachments
_ARTICLE_HINT = re.compile(
    r"/t\d{8}_\d+|/art/\d{4}/|art_\d+_\d+|art_[0-9a-f]{32}|content_\d+|post_\d+|/c/\d{4}-\d{2}-\d{2}/|/\d{4}/\d{2}-?\d{2}/"
    r"|/\d{6}/[^/]+$|/(?:19|20)\d{6}/[^/]+$|[?&](?:news|doc|article|info|content|art|item|gd|msg|letter|)id=|detail|/show|view"
    r"|article|[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|/\d{4,}\.\w{2,5}$|_\d{4,}\.\w{2,5}$|\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|wps|ofd|txt)$", re.I)
_COLUMN_HINT = re.compile(r"(?:^|/)(?:index|default|list|main)(?:_\d+)?\.\w+$|/$|/col/col\d+/?$"
                          r"|[?&](?:class|column|channel|cat|col)id=", re.I)


def is_article_url(url: str) -> bool:
    """The URL has an article's form: never a column."""
    parts = urlsplit(url)
    if _ARTICLE_PATH.search(parts.path) and not _INDEX_FILE.search(parts.path):
        return True
    return bool(_ARTICLE_QUERY.search(parts.query)) and not _LIST_PATH.search(parts.path)


def _tail(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def looks_like_article(url: str) -> bool:
    """An article's form, or a hint of one (a list row's link)."""
    return is_article_url(url) or bool(_ARTICLE_HINT.search(_tail(url)))


def looks_like_column(url: str) -> bool:
    """An index/list page or a column id, and no article hint."""
    return not looks_like_article(url) and bool(_COLUMN_HINT.search(_tail(url)))
