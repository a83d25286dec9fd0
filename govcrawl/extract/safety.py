"""Content-safety facts of one page: what the review codes hidden_links, tampered_content, personal_data,
wording_error and cloaking_redirect judge (govcrawl.rules.safety). Pure functions of a Page; every value that could
be personal data is masked here, before anything is stored."""
from __future__ import annotations

import re
from datetime import date

from govcrawl.extract.hidden import hidden_links
from govcrawl.extract.page import Page
from govcrawl.extract.personal import find_personal_data, mask_personal_data
from govcrawl.extract.vocabulary import safety_terms, wording_errors
from govcrawl.scope import host_of, strip_www
from govcrawl.text import collapse_spaces

CONTEXT = 16
VERSION_TEXT = 3000   # characters of visible text kept of each version of a cloaked homepage
# a script that reads where the visitor came from (search engine Referer or spider User-Agent) and sends it away
_ENGINES = r"baidu|sogou|so\.com|sm\.cn|google|bing|360|soso|youdao|spider|bot"
_CLOAK_SCRIPT = re.compile(
    rf"(?:document\.referrer|navigator\.userAgent)[\s\S]{{0,300}}?(?:{_ENGINES})[\s\S]{{0,300}}?"
    r"(?:location(?:\.href)?\s*=|location\.replace|window\.open|document\.write)", re.I)


def page_title(page: Page) -> str:
    return collapse_spaces(page.selector.xpath("string(//title)").get())


def hidden_link_facts(page: Page) -> list[dict]:
    """Hidden links to another host than the page's own (drop-down menus of the site itself are not facts)."""
    own = strip_www(host_of(page.url))
    return [{"url": h.url, "host": host_of(h.url), "text": mask_personal_data(h.text[:80]), "why": h.why}
            for h in hidden_links(page) if strip_www(host_of(h.url)) != own]


def tamper_facts(page: Page) -> dict | None:
    """The title and body terms of gambling/lottery/pornography a page carries, or None when it carries none."""
    terms = safety_terms()
    title, text = page_title(page), page.visible_text
    for link in hidden_links(page):  # injected links are hidden_links' business; tampering is what visitors see
        text = text.replace(link.text, " ") if link.text else text
    title_terms = _strong(terms.found(title), terms.ordinary)
    body_terms = _strong(terms.found(text), terms.ordinary)
    if not title_terms and not body_terms:
        return None
    return {"title": mask_personal_data(title), "title_terms": title_terms, "body_terms": body_terms,
            "lawful_title": [w for w in terms.lawful_context if w in title],
            "lawful_text": _lawful_near(text, body_terms, terms.lawful_context),
            "excerpt": mask_personal_data(_around(text, body_terms[0]) if body_terms else text[:200])}


LAWFUL_WINDOW = 40   # a lawful word counts for a term this near it (关于严厉打击网络赌博、六合彩的通告)


def _lawful_near(text: str, found: list[str], lawful: tuple[str, ...]) -> list[str]:
    """Lawful words standing near one of the terms found: a page's nav with 纪检举报 says nothing of its news."""
    low = text.lower()
    near = set()
    for term in found:
        for m in re.finditer(re.escape(term), low):
            window = text[max(0, m.start() - LAWFUL_WINDOW):m.end() + LAWFUL_WINDOW]
            near |= {w for w in lawful if w in window}
    return sorted(near)


def _around(text: str, term: str) -> str:
    at = max(0, text.lower().find(term))
    return text[max(0, at - 60):at + 140]


def _strong(found: dict[str, list[str]], ordinary: frozenset[str]) -> list[str]:
    """Distinct terms, lawful words left out, a term inside a longer one found (威尼斯人 in 澳门威尼斯人) not again."""
    words = {t for ws in found.values() for t in ws if t not in ordinary}
    return sorted(t for t in words if not any(t != w and t in w for w in words))


def wording_facts(page: Page) -> list[dict]:
    """Each wrong form of wording_errors.toml in the page's title or text, unless inside its right form."""
    text = page_title(page) + " " + page.visible_text
    out = []
    for error in wording_errors():
        for m in re.finditer(re.escape(error.wrong), text):
            if _inside_right_form(text, m.start(), m.end(), error.right):
                continue
            context = text[max(0, m.start() - CONTEXT):m.end() + CONTEXT]
            out.append({"wrong": error.wrong, "right": error.right, "source": error.source,
                        "context": mask_personal_data(context)})
            break  # one context per wrong form and page
    return out


def _inside_right_form(text: str, start: int, end: int, right: str) -> bool:
    for m in re.finditer(re.escape(right), text[max(0, start - len(right)):end + len(right)]):
        a = m.start() + max(0, start - len(right))
        if a <= start and end <= a + len(right):
            return True
    return False


def personal_facts(text: str, today: date) -> list[dict]:
    """Personal data in a page's visible text or a list's titles, masked, as stored."""
    return [{"kind": d.kind, "masked": d.masked, "context": d.context} for d in find_personal_data(text, today)]


def cloaking_script(page: Page) -> str | None:
    """The script text (first 200 characters of the match) that redirects search-engine visitors, or None."""
    for script in page.selector.xpath("//script/text()").getall():
        m = _CLOAK_SCRIPT.search(script)
        if m:
            return re.sub(r"\s+", " ", m.group(0))[:200]
    return None


def page_version(page: Page) -> dict:
    """One version of a page as stored for comparison: where it ended, its title and visible text (masked)."""
    return {"url": page.url, "title": mask_personal_data(page_title(page)),
            "text": mask_personal_data(page.visible_text[:VERSION_TEXT])}
