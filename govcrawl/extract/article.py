"""Publish date and title of an article page.

Date order: publish <meta> (PubDate, firstpublishedtime, publishdate, Maketime …); a labelled date near the title
(发布时间/发布日期/… and the 信息公开 header table, where 发布日期 beats 成文日期); an unlabelled date in the title's
info line; the URL date. Never modification times (更新时间, lastmodifiedtime), view-counter stamps, related-article
lists or footers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from govcrawl.dates import DateParser, date_from_url
from govcrawl.extract.page import Page
from govcrawl.text import collapse_spaces
from govcrawl.vocabulary import VOCABULARY

_GAP = r"[\s\u3000\u00a0\u2002\u2003]*"
# publish metas in preference order -> source name
_META_NAMES = {"pubdate": "PubDate", "firstpublishedtime": "firstpublishedtime", "publishdate": "publishdate",
               "publishtime": "publishtime", "maketime": "Maketime", "articletime": "ArticleTime",
               "article:published_time": "article:published_time"}


def _spaced(word: str) -> str:
    return _GAP.join(word)


# label -> rank (lower wins). Bare 时间/日期 must not follow another CJK character (会议时间, 更新时间).
_LABELS = {"发布时间": 0, "发布日期": 0, "发表时间": 1, "发稿时间": 1, "公开日期": 1, "公开时间": 1, "发文日期": 1,
           "上载日期": 2, "上传时间": 2, "时间": 2, "日期": 2, "成文日期": 3, "印发日期": 3}
_LABEL = re.compile("(" + "|".join(
    ("(?<![\u4e00-\u9fff])" if len(w) == 2 else "") + _spaced(w) for w in sorted(_LABELS, key=len, reverse=True))
    + ")" + _GAP + "[:：]?" + _GAP)
_NEAR = 300  # characters around the title where a bare 时间/日期 label is the page's own date
_NEXT_LABEL = re.compile("[\u4e00-\u9fff]{2,}" + _GAP + "[:：]")
_VALUE_START = re.compile(r"^[\s\[(（【]*[\d〇○零一二]")
_DATE_SPAN = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:[\sT-]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
    r"|[〇○零一二三四五六七八九]{4}\s*年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
    r"|\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?")
_DATE_LIKE = re.compile(r"(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
# words whose neighbouring date is not a publish date
_NOT_PUBLISH = VOCABULARY.regex("page_parts.not_publish")  # vocabulary.toml [page_parts]
_RELATED = VOCABULARY.regex("article.related")  # vocabulary.toml [article]; .match-ed at an element's text start
_NOISE_HINT = re.compile(r"foot|bottom|copyright|related|xgwz|xgxx|recommend|share|(?<![a-z])nav|menu", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--+|——|—|(?<!\d)-(?!\d))\s*")
_SITE_LIKE = VOCABULARY.regex("article.site_title")
_TITLE_HINT = re.compile(r"title|(?<![a-z])tit(?![a-z])|(?<![a-z])bt(?![a-z])|biaoti", re.I)
_SPACE = re.compile(r"\s+")


@dataclass
class ArticleDate:
    date: date
    source: str   # meta:PubDate | meta:firstpublishedtime | label:发布时间 | xxgk:发布日期 | text | url
    raw: str


def publish_date(page: Page, dates: DateParser) -> ArticleDate | None:
    return (_from_meta(page, dates) or _from_labels(page, dates) or _from_info_line(page, dates)
            or _from_url(page))


def article_title(page: Page) -> str | None:
    """meta ArticleTitle; else the h1/title-like element the <title> confirms; else the <title> minus the site."""
    meta = _meta(page, "articletitle")
    if meta:
        return meta
    sel = page.selector
    site = _meta(page, "sitename")
    h1s = [collapse_spaces(h.xpath("string()").get()) for h in sel.xpath("//body//h1")]
    hinted = [collapse_spaces(e.xpath("string()").get()) for e in sel.xpath("//body//*[@class or @id]")
              if _TITLE_HINT.search(f"{e.attrib.get('class', '')} {e.attrib.get('id', '')}")
              and not _in_noise(e.root)]
    candidates = [c for c in h1s + hinted if 2 <= len(c) <= 200 and c != site]
    guess = _title_guess(collapse_spaces(sel.xpath("string(//title)").get()), site)
    if guess:
        if guess in candidates:
            return guess
        stem = guess.rstrip(".…") or guess
        longer = [c for c in candidates if stem in c]  # <title> cut short
        # <title> with a column/site tail: the element that shows its head, whatever its class is called
        shown = candidates + [t for t in _leaf_texts(page) if t != site]
        shorter = [c for c in shown if c in guess and len(c) >= 4]
        if longer or shorter:
            return min(longer, key=len) if longer else max(shorter, key=len)
    if guess and not (_SITE_LIKE.search(guess) and candidates):
        return guess
    return candidates[0] if candidates else guess


def _leaf_texts(page: Page) -> list[str]:
    """Texts of the body's innermost elements outside links and page furniture, in document order."""
    return [collapse_spaces(e.xpath("string()").get()) for e in page.selector.xpath("//body//*[not(*)][not(self::a or self::script or self::style)]")
            if not _in_noise(e.root)]


def _title_guess(head: str, site: str | None) -> str | None:
    """The article part of <title>: TRS "标题_站名", "标题 - 站名", Hanweb "站名 栏目 标题"."""
    if not head:
        return None
    if site and not _TITLE_SPLIT.search(head):
        if head.startswith(site + " "):
            return head.rsplit(" ", 1)[-1]
        if head.endswith(" " + site):
            return head[: -len(site)].strip()
    parts = [p for p in _TITLE_SPLIT.split(head) if p and p != site]
    return parts[0] if parts else None


def _meta(page: Page, name: str) -> str | None:
    for el in page.selector.xpath("//meta[@name or @property]"):
        key = (el.attrib.get("name") or el.attrib.get("property") or "").strip().lower()
        if key == name:
            value = collapse_spaces(el.attrib.get("content"))
            if value:
                return value
    return None


def _from_meta(page: Page, dates: DateParser) -> ArticleDate | None:
    for key, label in _META_NAMES.items():
        raw = _meta(page, key)
        found = dates.parse(raw) if raw else None
        if found and found.year >= 1990:
            return ArticleDate(found, f"meta:{label}", raw)
    return None


def _from_labels(page: Page, dates: DateParser) -> ArticleDate | None:
    text = _main_text(page)
    xxgk = bool(re.search(_spaced("索引号"), text))
    title = article_title(page)
    at = text.find(title) if title else -1
    # bare 时间/日期 count only in the title's neighbourhood: in a body they label events (会议 时间：…)
    near = range(max(0, at - _NEAR), at + len(title or "") + _NEAR) if at >= 0 else range(0, _NEAR)
    best: tuple[int, int, ArticleDate] | None = None
    for match in _LABEL.finditer(text):
        label = _SPACE.sub("", match.group(1))
        if len(label) == 2 and match.start() not in near:
            continue
        value = text[match.end():match.end() + 40]
        cut = _NEXT_LABEL.search(value, 4)
        value = value[:cut.start()] if cut else value
        if not _VALUE_START.match(value) or _NOT_PUBLISH.search(text, max(0, match.start() - 6), match.start()):
            continue
        found = dates.find(value)
        if found is None or found.year < 1990:
            continue
        kind = "xxgk" if xxgk else "label"
        rank = (_LABELS[label], match.start())
        if best is None or rank < best[:2]:
            span = _DATE_SPAN.search(value)
            raw = collapse_spaces(match.group(0) + (value[:span.end()] if span else value))
            best = (*rank, ArticleDate(found, f"{kind}:{label}", raw))
    return best[2] if best else None


def _from_info_line(page: Page, dates: DateParser) -> ArticleDate | None:
    """An unlabelled date in the line under the title (生态环境部 `<span class="time">2022-04-17</span>`)."""
    title = article_title(page)
    text = _main_text(page)
    at = text.find(title) if title else -1
    if at < 0:
        return None
    window = text[at + len(title):at + len(title) + 100]
    for match in _DATE_LIKE.finditer(window):
        before = window[max(0, match.start() - 8):match.start()]
        # a date after some other label (会议时间：, 截止日期：) or a counter is not the publish date
        if _NOT_PUBLISH.search(before) or re.search("[\u4e00-\u9fff]" + _GAP + "[:：]" + _GAP + "$", before):
            continue
        found = dates.parse(match.group(0))
        if found and found.year >= 1990:
            return ArticleDate(found, "text", match.group(0))
    return None


def _from_url(page: Page) -> ArticleDate | None:
    found = date_from_url(page.url)
    return ArticleDate(found, "url", page.url) if found else None


def _in_noise(el) -> bool:
    """Inside a footer, navigation or related-articles container."""
    node = el
    while node is not None:
        if isinstance(node.tag, str) and _NOISE_HINT.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        node = node.getparent()
    return False


def _main_text(page: Page) -> str:
    """Visible body text with cells and blocks separated by spaces, minus scripts, footers and related lists."""
    body = page.selector.root.find("body")
    root = body if body is not None else page.selector.root
    dropped: set = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript", "select", "textarea"):
            dropped.add(el)
        elif _NOISE_HINT.search(f"{el.get('class') or ''} {el.get('id') or ''}") and not el.xpath(".//h1"):
            dropped.add(el)
        elif _RELATED.match(collapse_spaces(el.text)):
            dropped.add(_related_container(el))
    parts: list[str] = []

    def walk(el) -> None:
        if el not in dropped:
            parts.append(el.text or "")
            for child in el:
                walk(child)
                parts.append(" " + (child.tail or ""))
        parts.append(" ")

    walk(root)
    return _SPACE.sub(" ", "".join(parts))


def _related_container(el):
    """The smallest ancestor of a 相关文章/上一篇 heading that also holds its links."""
    node = el
    for _ in range(3):
        if node.xpath(".//a|.//ul|.//ol|.//table") or node.getparent() is None or node.getparent().tag == "body":
            return node
        node = node.getparent()
    return node


