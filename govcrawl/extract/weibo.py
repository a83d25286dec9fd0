"""Weibo (新浪微博) through the m.weibo.cn `container/getIndex` JSON API: posts and the profile's open channels.

containerid 107603<uid> lists posts newest first, except that a pinned post (isTop, title 置顶) comes first whatever
its age; further pages by `since_id`. containerid 100505<uid> is the profile; its toolbar offers 聊天/私信 when the
account accepts messages. Logged-out clients are sometimes sent to a login page or the "Sina Visitor System"
instead of JSON: that is a login wall, reported as such, never as an empty account.

Shapes are those of real captured responses kept as test fixtures by the public repository MountainDash/nonebot-bison
(tests/platforms/static/weibo_ak_list_1.json timeline, weibo_ak_profile.json profile, weibo_err_profile.json: a
uid without an account answers `{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}`). Only the account's own posts
count (`mblog.user.id` is the uid): a timeline may carry `card_type 11` groups whose `card_group` holds other users'
posts (recommendations, hot posts); a repost by the account is its own post (`retweeted_status` is the original,
not read). Which flags state interaction, and how certain each shape is, is listed at INTERACTION_FLAGS.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from govcrawl.dates import DateParser
from govcrawl.text import collapse_spaces
from govcrawl.vocabulary import VOCABULARY

API = "https://m.weibo.cn/api/container/getIndex"
POSTS_PREFIX, PROFILE_PREFIX = "107603", "100505"
_TAGS = re.compile(r"<[^>]+>")
_LOGIN_TEXT = VOCABULARY.regex("page_blocks.weibo_login")  # vocabulary.toml [page_blocks]
_MESSAGE_NAMES = ("聊天", "私信", "发消息")
# an `ok: 0` answer whose message says the account is gone (deleted, closed, banned) rather than a passing error
_GONE_TEXT = VOCABULARY.pattern("weibo.gone")  # vocabulary.toml [weibo]
INTERACTION_FLAGS = {
    # account level (profile userInfo, or the user object inside each post): certain when present
    "allow_all_comment": "账号设置：allow_all_comment（true 所有人可评论，false 评论已限制或关闭）",
    "allow_all_act_msg": "账号设置：allow_all_act_msg（true 所有人可发私信）",
    "allow_msg": "主页关注按钮 userInfo.allow_msg（1 可发私信，0 不可）",
    # post level
    "comment_permission_type": "微博 comment_manage_info.comment_permission_type（-1 所有人可评论；其他取值为限制"
                               "（如仅粉丝/关注的人）或关闭，各取值的确切含义未见公开文档）",
    "comments_count": "微博已收到评论（comments_count > 0）",
    "enable_comment_guide": "微博 enable_comment_guide=true（客户端显示评论引导；false 不足以说明评论关闭，不采信）",
}


@dataclass
class Post:
    post_id: str
    url: str
    title: str                 # the text, tags stripped, cut to 80 characters
    published: datetime | None
    raw_date: str
    pinned: bool = False
    comments_open: bool | None = None   # None: the post does not say
    comments_flag: str = ""             # which post flag said so (a key of INTERACTION_FLAGS)
    repost: bool = False                # a repost by the account (its own post; the original is not read)


@dataclass
class WeiboPage:
    posts: list[Post] = field(default_factory=list)
    since_id: str | None = None
    blocked: str | None = None          # why nothing could be read (login wall, not JSON, error)
    others: int = 0                     # posts by other users in the page (group / recommendation cards), skipped
    account: dict = field(default_factory=dict)   # the account's own user object, as its posts carry it


@dataclass
class AccountFlags:
    """Account-level interaction settings of a user object: None where the object does not carry the flag."""
    comments_open: bool | None = None
    comments_flag: str = ""
    messages_open: bool | None = None
    messages_flag: str = ""


@dataclass
class WeiboProfile:
    screen_name: str | None = None
    messages_open: bool | None = None
    messages_flag: str = ""
    comments_open: bool | None = None   # account-level setting (allow_all_comment), when the profile carries it
    comments_flag: str = ""
    blocked: str | None = None
    gone: str | None = None             # the account does not exist any more (deleted, closed, banned): why


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


def api_error(data: dict) -> str:
    """The reason of an answer that is not `ok: 1`, with the API's own message as evidence."""
    return f"接口返回错误：ok={data.get('ok')}，msg={data.get('msg') or '（无）'}"


def gone_reason(data: dict) -> str | None:
    """Why an `ok: 0` profile answer means the account is gone; None for any other error."""
    msg = str(data.get("msg") or "")
    if data.get("ok") == 0 and _GONE_TEXT.search(msg):
        return f"账号不存在或已注销/封禁：主页接口返回 ok=0，msg={msg}"
    return None


def parse_posts(text: str, dates: DateParser, url: str = "", uid: str | None = None) -> WeiboPage:
    """The account's own posts on one getIndex page (card_type 9, also inside card_group), and the next since_id.

    uid: the account's; posts whose mblog.user.id differs are skipped (counted in `others`). Any answer but
    `ok: 1` is an error, never an empty timeline: the API answers a missing account with ok=0 这里还没有内容.
    """
    data, blocked = _load(text, url)
    if data is None:
        return WeiboPage(blocked=blocked)
    if data.get("ok") != 1:
        return WeiboPage(blocked=api_error(data))
    body = data.get("data") if isinstance(data.get("data"), dict) else {}
    page = WeiboPage()
    info = body.get("cardlistInfo") or {}
    since = info.get("since_id")
    page.since_id = str(since) if since not in (None, "", 0) else None
    for card, nested in _cards(body.get("cards") or []):
        blog = card.get("mblog")
        if not isinstance(blog, dict):
            continue
        if not _own(blog, uid, nested):
            page.others += 1
            continue
        post = _post(card, blog, dates)
        if post is not None:
            page.posts.append(post)
            if not page.account and isinstance(blog.get("user"), dict):
                page.account = blog["user"]
    return page


def _cards(cards: list) -> list[tuple[dict, bool]]:
    """(card, nested in a card_group) for every card_type 9."""
    out = []
    for card in cards:
        if not isinstance(card, dict):
            continue
        if card.get("card_type") == 9:
            out.append((card, False))
        elif isinstance(card.get("card_group"), list):   # card_type 11 groups: own posts on some pages, others' too
            out.extend((c, True) for c in card["card_group"] if isinstance(c, dict) and c.get("card_type") == 9)
    return out


def _own(blog: dict, uid: str | None, nested: bool) -> bool:
    """Whether a post is the account's: its author is the uid. Without an author, only a top-level timeline card
    (the 107603<uid> container lists the account's own posts) counts; an unattributed group post never does."""
    user = blog.get("user")
    author = str(user.get("id") or user.get("idstr") or "") if isinstance(user, dict) else ""
    if uid is None:
        return True
    if author:
        return author == str(uid)
    return not nested


def _post(card: dict, blog: dict, dates: DateParser) -> Post | None:
    post_id = str(blog.get("id") or blog.get("mid") or blog.get("bid") or "")
    if not post_id:
        return None
    raw = str(blog.get("created_at") or "")
    title_mark = (blog.get("title") or {}).get("text", "") if isinstance(blog.get("title"), dict) else ""
    pinned = bool(blog.get("isTop")) or "置顶" in title_mark
    text = collapse_spaces(html.unescape(_TAGS.sub(" ", str(blog.get("text") or ""))))
    url = card.get("scheme") or f"https://m.weibo.cn/status/{blog.get('bid') or post_id}"
    open_, flag = _comments_open(blog)
    return Post(post_id, url, text[:80], dates.parse_datetime(raw) if raw else None, raw, pinned, open_, flag,
                isinstance(blog.get("retweeted_status"), dict))


def _comments_open(blog: dict) -> tuple[bool | None, str]:
    """Whether a post takes comments from everyone, and the flag that says so (INTERACTION_FLAGS)."""
    try:
        if int(blog.get("comments_count") or 0) > 0:
            return True, "comments_count"
    except (TypeError, ValueError):
        pass
    manage = blog.get("comment_manage_info")
    if isinstance(manage, dict) and "comment_permission_type" in manage:
        return str(manage["comment_permission_type"]) == "-1", "comment_permission_type"
    if blog.get("enable_comment_guide") is True:
        return True, "enable_comment_guide"
    return None, ""


def account_flags(user: dict) -> AccountFlags:
    """Account-level settings in a user object (profile userInfo, or a post's user); absent flags stay None.

    allow_all_comment / allow_all_act_msg are the names of Weibo's user object (open API users/show); m.weibo.cn
    responses do not always carry them, so their absence says nothing."""
    flags = AccountFlags()
    if not isinstance(user, dict):
        return flags
    if isinstance(user.get("allow_all_comment"), bool):
        flags.comments_open, flags.comments_flag = user["allow_all_comment"], "allow_all_comment"
    if isinstance(user.get("allow_all_act_msg"), bool) and user["allow_all_act_msg"]:
        flags.messages_open, flags.messages_flag = True, "allow_all_act_msg"
    return flags


def parse_profile(text: str, url: str = "") -> WeiboProfile:
    """The profile container: screen name, whether a 聊天/私信 button (or allow_msg) is offered, account settings."""
    data, blocked = _load(text, url)
    if data is None:
        return WeiboProfile(blocked=blocked)
    info = (data.get("data") or {}).get("userInfo") if isinstance(data.get("data"), dict) else None
    if data.get("ok") != 1 or not isinstance(info, dict):
        gone = gone_reason(data)
        return WeiboProfile(blocked=gone or api_error(data), gone=gone)
    profile = WeiboProfile(screen_name=info.get("screen_name"))
    settings = account_flags(info)
    profile.comments_open, profile.comments_flag = settings.comments_open, settings.comments_flag
    menus = info.get("toolbar_menus")
    flags: list[tuple[bool, str]] = []
    if isinstance(menus, list):
        for menu in menus:
            if not isinstance(menu, dict):
                continue
            scheme = json.dumps(menu.get("params") or {}, ensure_ascii=False)
            if menu.get("name") in _MESSAGE_NAMES or "messagelist" in scheme:
                flags.append((True, f"主页工具栏“{menu.get('name')}”按钮"))
            user = menu.get("userInfo")
            if isinstance(user, dict) and "allow_msg" in user:
                flags.append((bool(user["allow_msg"]), "allow_msg"))
        opened = [f for f in flags if f[0]]
        if opened:
            profile.messages_open, profile.messages_flag = True, opened[0][1]
        elif flags:
            profile.messages_open, profile.messages_flag = False, flags[0][1]
        elif menus:   # a toolbar without a message button is a closed inbox; no toolbar at all says nothing
            profile.messages_open, profile.messages_flag = False, "主页工具栏无私信/聊天按钮"
    if settings.messages_open and not profile.messages_open:
        profile.messages_open, profile.messages_flag = True, settings.messages_flag
    return profile
