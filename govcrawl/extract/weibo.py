"""Weibo (新浪微博) through the m.weibo.cn `container/getIndex` JSON API: posts and the profile's open channels.

containerid 107603<uid> lists posts newest first, except that a pinned post (isTop, title 置顶) comes first whatever
its age; further pages by `since_id`. containerid 100505<uid> is the profile; its toolbar offers 聊天/私信 when the
account accepts messages. Logged-out clients are sometimes sent to a login page or the "Sina Visitor System"
instead of JSON: that is a login wall, reported as such, never as an empty account.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from govcrawl.dates import DateParser

API = "https://m.weibo.cn/api/container/getIndex"
POSTS_PREFIX, PROFILE_PREFIX = "107603", "100505"
_TAGS = re.compile(r"<[^>]+>")
_LOGIN_TEXT = re.compile(r"请先登录|登录后|Sina Visitor System|passport\.weibo|signin/login|visitor/visitor", re.I)
_MESSAGE_NAMES = ("聊天", "私信", "发消息")


@dataclass
class Post:
    post_id: str
    url: str
    title: str                 # the text, tags stripped, cut to 80 characters
    published: datetime | None
    raw_date: str
    pinned: bool = False
    comments_open: bool | None = None   # None: the post does not say


@dataclass
class WeiboPage:
    posts: list[Post] = field(default_factory=list)
    since_id: str | None = None
    blocked: str | None = None          # why nothing could be read (login wall, not JSON, error)


@dataclass
class WeiboProfile:
    screen_name: str | None = None
    messages_open: bool | None = None
    blocked: str | None = None


def posts_url(uid: str, since_id: str | None = None) -> str:
    query = {"type": "uid", "value": uid, "containerid": POSTS_PREFIX + uid}
    if since_id:
        query["since_id"] = since_id
    return f"{API}?{urlencode(query)}"


def profile_url(uid: str) -> str:
    return f"{API}?{urlencode({'type': 'uid', 'value': uid, 'containerid': PROFILE_PREFIX + uid})}"


def login_wall(text: str, url: str = "") -> str | None:
    """Why a response is a login or visitor wall rather than data; None when it is not one."""
    host = (urlsplit(url).hostname or "").lower()
    if host.startswith("passport.") or "/signin" in url or "/visitor" in url:
        return f"登录墙：跳转至{url}"
    if not text.lstrip().startswith(("{", "[")) and _LOGIN_TEXT.search(text[:20000]):
        return "登录墙：返回登录/访客验证页面而非数据"
    return None


def _load(text: str, url: str) -> tuple[dict | None, str | None]:
    wall = login_wall(text, url)
    if wall:
        return None, wall
    try:
        data = json.loads(text)
    except ValueError:
        return None, "返回内容不是JSON数据"
    if not isinstance(data, dict):
        return None, "返回内容不是JSON对象"
    if data.get("ok") == -100 or _LOGIN_TEXT.search(str(data.get("msg", ""))):
        return None, f"登录墙：{data.get('msg') or '需要登录'}"
    return data, None


def parse_posts(text: str, dates: DateParser, url: str = "") -> WeiboPage:
    """Posts of one getIndex page (card_type 9 only, also inside card_group), with the next page's since_id."""
    data, blocked = _load(text, url)
    if data is None:
        return WeiboPage(blocked=blocked)
    body = data.get("data") if isinstance(data.get("data"), dict) else {}
    if data.get("ok") != 1 and body.get("cards"):
        return WeiboPage(blocked=f"接口返回错误：{data.get('msg') or data.get('ok')}")
    # ok=0 with no cards is how the API answers an account without posts ("这里还没有内容")
    page = WeiboPage()
    info = body.get("cardlistInfo") or {}
    since = info.get("since_id")
    page.since_id = str(since) if since not in (None, "", 0) else None
    for card in _cards(body.get("cards") or []):
        post = _post(card, dates)
        if post is not None:
            page.posts.append(post)
    return page


def _cards(cards: list) -> list[dict]:
    out = []
    for card in cards:
        if not isinstance(card, dict):
            continue
        if card.get("card_type") == 9:
            out.append(card)
        elif isinstance(card.get("card_group"), list):   # card_type 11 groups wrap posts on some pages
            out.extend(c for c in card["card_group"] if isinstance(c, dict) and c.get("card_type") == 9)
    return out


def _post(card: dict, dates: DateParser) -> Post | None:
    blog = card.get("mblog")
    if not isinstance(blog, dict):
        return None
    post_id = str(blog.get("id") or blog.get("mid") or blog.get("bid") or "")
    if not post_id:
        return None
    raw = str(blog.get("created_at") or "")
    title_mark = (blog.get("title") or {}).get("text", "") if isinstance(blog.get("title"), dict) else ""
    pinned = bool(blog.get("isTop")) or "置顶" in title_mark
    text = re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", str(blog.get("text") or "")))).strip()
    url = card.get("scheme") or f"https://m.weibo.cn/status/{blog.get('bid') or post_id}"
    return Post(post_id, url, text[:80], dates.parse_datetime(raw) if raw else None, raw, pinned,
                _comments_open(blog))


def _comments_open(blog: dict) -> bool | None:
    """comment_permission_type -1 lets everyone comment; received comments prove comments work."""
    try:
        if int(blog.get("comments_count") or 0) > 0:
            return True
    except (TypeError, ValueError):
        pass
    manage = blog.get("comment_manage_info")
    if isinstance(manage, dict) and "comment_permission_type" in manage:
        return str(manage["comment_permission_type"]) == "-1"
    return None


def parse_profile(text: str, url: str = "") -> WeiboProfile:
    """The profile container: screen name and whether a 聊天/私信 button (or allow_msg) is offered."""
    data, blocked = _load(text, url)
    if data is None:
        return WeiboProfile(blocked=blocked)
    info = (data.get("data") or {}).get("userInfo") if isinstance(data.get("data"), dict) else None
    if data.get("ok") != 1 or not isinstance(info, dict):
        return WeiboProfile(blocked=f"接口返回错误：{data.get('msg') or data.get('ok')}")
    profile = WeiboProfile(screen_name=info.get("screen_name"))
    menus = info.get("toolbar_menus")
    flags = []
    if isinstance(menus, list):
        for menu in menus:
            if not isinstance(menu, dict):
                continue
            scheme = json.dumps(menu.get("params") or {}, ensure_ascii=False)
            if menu.get("name") in _MESSAGE_NAMES or "messagelist" in scheme:
                flags.append(True)
            user = menu.get("userInfo")
            if isinstance(user, dict) and "allow_msg" in user:
                flags.append(bool(user["allow_msg"]))
        # a toolbar without a message button is a closed inbox; no toolbar at all says nothing
        profile.messages_open = any(flags) if flags else (False if menus else None)
    return profile
