"""Pages that are not what they claim: error pages served with 200, and WAF interstitials that block a crawler.

Both must not be read as content: an error page is a broken page, a WAF page means the data is missing
(the site is `incomplete`, never judged on it).
"""
from __future__ import annotations

from govcrawl.extract.page import Page
from govcrawl.vocabulary import VOCABULARY

_WAF = VOCABULARY.regex("page_blocks.waf")  # vocabulary.toml [page_blocks]
_WAF_SCRIPT = VOCABULARY.regex("page_blocks.waf_script")
_ERROR = VOCABULARY.regex("page_blocks.error")
_SHORT_PAGE = 1500  # visible characters; a real content page of a government site is longer


def _title(page: Page) -> str:
    return " ".join(page.selector.xpath("//title//text()").getall())


def waf_block(page: Page) -> str | None:
    """The WAF or challenge wording when the page is an interstitial, else None."""
    text = page.visible_text
    if len(text) > _SHORT_PAGE:
        return None
    found = _WAF.search(_title(page) + " " + text) or _WAF_SCRIPT.search(page.text[:20000])
    return found.group(0) if found else None


def error_page(page: Page) -> str | None:
    """The error wording when a page served as 200 is an error page (short, says 404/页面不存在/…), else None."""
    text = page.visible_text
    if len(text) > _SHORT_PAGE:
        return None
    found = _ERROR.search(_title(page)) or _ERROR.search(text)
    return found.group(0) if found else None
