"""WeChat official accounts (微信公众号): Sogou WeChat search results, its anti-bot pages, and profile_ext getmsg.

Public sources are few. Sogou's search (weixin.sogou.com/weixin?type=2 articles, type=1 accounts) shows an
account's articles with their publish time (`timeConvert('<epoch>')` scripts or a date text); Sogou answers
crawlers with an anti-bot page (antispider URL, seccode form) that must read as "could not check", never as
"no articles". profile_ext?action=getmsg lists every post but needs a WeChat client's session (uin/key), which a
unit can hand over; an expired session answers ret != 0.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from govcrawl.dates import DateParser, from_epoch
from govcrawl.extract.page import Page
from govcrawl.extract.weibo import Post
from govcrawl.text import collapse_spaces
from govcrawl.vocabulary import VOCABULARY

SOGOU = "https://weixin.sogou.com/weixin"
_ANTISPIDER_MARKERS = (
    (re.compile(r"seccodeRight|seccodeImage|antispider", re.I), "搜狗反爬验证页面（验证码）"),
    (re.compile(r"anti\.min\.css", re.I), "搜狗反爬验证页面（anti.min.css）"),
    (VOCABULARY.regex("page_blocks.sogou_busy"), "搜狗反爬验证页面（异常访问）"),
)
_ACCOUNT_SELECTORS = "a.account, span.all-time-y2, [class*='account'], label[name='em_weixinhao']"


@dataclass
class SogouResult:
    title: str
    url: str
    account: str | None
    published: datetime | None
    raw_date: str


@dataclass
class GetMsgPage:
    posts: list[Post] = field(default_factory=list)
    next_offset: int | None = None
    blocked: str | None = None


def search_url(query: str, page: int = 1, kind: int = 2) -> str:
    """Sogou WeChat search: kind 2 = articles, 1 = accounts."""
    return f"{SOGOU}?{urlencode({'query': query, 'type': kind, 'page': page, 'ie': 'utf8'})}"


def antispider(text: str, url: str = "") -> str | None:
    """Why a Sogou response is an anti-bot page; None when it is a real result page."""
    if "antispider" in url.lower():
        return f"搜狗反爬验证页面（跳转至{url}）"
    for pattern, reason in _ANTISPIDER_MARKERS:
        if pattern.search(text):
            return reason
    return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _text(selector) -> str:
    # keyword highlights (<em><!--red_beg-->…) are elements and comments; join text nodes only
    return collapse_spaces("".join(selector.xpath(".//text()[not(parent::script)]").getall()))


def parse_search(page: Page, dates: DateParser) -> list[SogouResult]:
    """Result rows of a Sogou WeChat search page, articles (type 2) or accounts (type 1, 最近文章)."""
    rows = page.selector.xpath(
        "//ul[contains(@class,'news-list')]/li | //li[starts-with(@id,'sogou_vr_') and contains(@id,'_box_')]")
    results: list[SogouResult] = []
    seen: set[int] = set()
    for row in rows:
        key = hash(row.get())
        if key in seen:
            continue
        seen.add(key)
        result = _row(row, page, dates)
        if result is not None:
            results.append(result)
    return results


def _row(row, page: Page, dates: DateParser) -> SogouResult | None:
    link = row.css("h3 a, p.tit a, .txt-box a")
    if not link:
        return None
    href = page.absolute(link[0].attrib.get("href", "")) or ""
    title = _text(link[0])
    account_node = row.css(_ACCOUNT_SELECTORS)
    account = _text(account_node[0]) if account_node else None
    recent = row.xpath(".//dt[contains(., '最近文章')]/following-sibling::dd[1]")
    if recent:                       # account search: the row is the account, dd holds its latest article
        account = account if account_node and row.css("a.account, span.all-time-y2") else title
        link2 = recent[0].css("a")
        title, href = (_text(link2[0]), page.absolute(link2[0].attrib.get("href", "")) or href) if link2 else (title, href)
        time_nodes = recent
    else:
        time_nodes = row.css("span.s2, .s-p span, .s-p")
    raw, published = "", None
    for node in time_nodes:
        raw = node.get()
        published = dates.parse_datetime(raw)
        if published is not None:
            break
    return SogouResult(title, href, account, published, _raw_time(raw) if published else "")


def _raw_time(markup: str) -> str:
    found = re.search(r"timeConvert\(\s*'?(\d{10,13})'?\s*\)", markup)
    return found.group(0) if found else re.sub(r"<[^>]+>", " ", markup).strip()[:60]


def newest_for(results: list[SogouResult], account_name: str, as_of_limit: datetime | None = None
               ) -> SogouResult | None:
    """The newest dated result published by exactly this account (names compared without spaces/width)."""
    wanted = _clean(account_name)
    own = [r for r in results if r.account and _clean(r.account) == wanted and r.published is not None
           and (as_of_limit is None or r.published <= as_of_limit)]
    return max(own, key=lambda r: r.published, default=None)


def parse_getmsg(text: str) -> GetMsgPage:
    """profile_ext?action=getmsg JSON: every article of every push (multi-article pushes share the time)."""
    try:
        data = json.loads(text)
    except ValueError:
        return GetMsgPage(blocked="返回内容不是JSON数据（会话失效或需登录微信客户端）")
    if not isinstance(data, dict) or data.get("ret") != 0:
        detail = (data.get("errmsg") or data.get("ret")) if isinstance(data, dict) else "格式错误"
        return GetMsgPage(blocked=f"微信接口拒绝：{detail}（uin/key会话失效或需登录）")
    raw_list = data.get("general_msg_list") or "{}"
    try:
        items = (json.loads(raw_list) if isinstance(raw_list, str) else raw_list).get("list") or []
    except (ValueError, AttributeError):
        return GetMsgPage(blocked="general_msg_list 无法解析")
    page = GetMsgPage(next_offset=data.get("next_offset") if data.get("can_msg_continue") else None)
    for item in items:
        info = item.get("comm_msg_info") or {}
        try:
            published = from_epoch(info["datetime"])
        except (KeyError, ValueError, TypeError):
            published = None
        ext = item.get("app_msg_ext_info") or {}
        articles = [ext] + [a for a in ext.get("multi_app_msg_item_list") or [] if isinstance(a, dict)]
        for index, article in enumerate(articles):
            url = html.unescape(str(article.get("content_url") or "")).replace("\\/", "/")
            post_id = f"{info.get('id')}-{index}" if info.get("id") is not None else url
            title = str(article.get("title") or info.get("content") or "")[:80]
            if not (url or title):
                continue
            page.posts.append(Post(post_id, url, title, published, str(info.get("datetime", ""))))
    return page


def is_getmsg_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.hostname == "mp.weixin.qq.com" and parts.path.endswith("/profile_ext") and "action=getmsg" in parts.query
