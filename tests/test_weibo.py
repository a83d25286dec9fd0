"""Weibo getIndex posts and profile (govcrawl/extract/weibo.py); tests/pages/weibo_*.json are real shapes."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract import weibo

PAGES = Path(__file__).parent / "pages"
T = DateParser(date(2019, 6, 10))


def page_with(*blogs, cards_before=()):
    cards = list(cards_before) + [{"card_type": 9, "scheme": f"https://m.weibo.cn/status/{b['id']}", "mblog": b}
                                  for b in blogs]
    return json.dumps({"ok": 1, "data": {"cardlistInfo": {"since_id": 42}, "cards": cards}})


def test_real_page_pinned_first_and_since_id():
    page = weibo.parse_posts((PAGES / "weibo_getindex.json").read_text(), DateParser(date(2021, 6, 20)))
    assert page.blocked is None and page.since_id == "4646131823281332"
    assert [(p.post_id, p.pinned, p.published) for p in page.posts] == [
        ("4645748019299849", True, datetime(2021, 6, 8, 9, 35, 4)),
        ("4649106427873349", False, datetime(2021, 6, 17, 16, 0, 11))]
    assert page.posts[1].title.startswith("#明日方舟# SideStory") and "<" not in page.posts[1].title


@pytest.mark.parametrize("created_at, expected", [
    ("Tue Jun 04 10:12:33 +0800 2019", datetime(2019, 6, 4, 10, 12, 33)),
    ("Tue Jun 04 02:12:33 +0000 2019", datetime(2019, 6, 4, 10, 12, 33)),
    ("昨天 12:25", datetime(2019, 6, 9, 12, 25)),
    ("25分钟前", datetime(2019, 6, 10, 11, 35)),
    ("3小时前", datetime(2019, 6, 10, 9, 0)),
    ("06-05", datetime(2019, 6, 5)),
    ("12-30", datetime(2018, 12, 30)),          # never after T: the previous year
    ("2018-11-02", datetime(2018, 11, 2)),
])
def test_created_at_forms(created_at, expected):
    post = weibo.parse_posts(page_with({"id": "1", "created_at": created_at, "text": "x"}), T).posts[0]
    assert post.published == expected and post.raw_date == created_at


def test_only_card_type_9_counts_also_inside_groups():
    group = {"card_type": 11, "card_group": [{"card_type": 58, "desc": "全部微博"},
                                             {"card_type": 9, "mblog": {"id": "7", "created_at": "06-01"}}]}
    ad = {"card_type": 31, "mblog": {"id": "8", "created_at": "06-09"}}
    page = weibo.parse_posts(page_with({"id": "1", "created_at": "06-02"}, cards_before=[group, ad]), T)
    assert [p.post_id for p in page.posts] == ["7", "1"]


@pytest.mark.parametrize("blog, pinned, comments", [
    ({"isTop": 1}, True, None),
    ({"title": {"text": "置顶"}}, True, None),
    ({"comments_count": 3}, False, True),
    ({"comments_count": 0, "comment_manage_info": {"comment_permission_type": -1}}, False, True),
    ({"comments_count": 0, "comment_manage_info": {"comment_permission_type": 2}}, False, False),
])
def test_pinned_and_comments(blog, pinned, comments):
    post = weibo.parse_posts(page_with({"id": "1", "created_at": "06-01", **blog}), T).posts[0]
    assert (post.pinned, post.comments_open) == (pinned, comments)


@pytest.mark.parametrize("text, url", [
    ('{"ok":-100,"url":"https://passport.weibo.cn/signin/welcome"}', "https://m.weibo.cn/api/container/getIndex"),
    ("<html><title>Sina Visitor System</title></html>", "https://m.weibo.cn/api/container/getIndex"),
    ("<html>登录</html>", "https://passport.weibo.cn/signin/login?entry=mweibo"),
])
def test_login_walls_are_blocked_not_empty(text, url):
    page = weibo.parse_posts(text, T, url)
    assert page.blocked and "登录墙" in page.blocked and page.posts == []


def test_empty_account_is_read_not_blocked():
    page = weibo.parse_posts('{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}', T)
    assert page.blocked is None and page.posts == []


def test_profile_messages_open_from_chat_button():
    profile = weibo.parse_profile((PAGES / "weibo_profile.json").read_text())
    assert (profile.screen_name, profile.messages_open, profile.blocked) == ("明日方舟Arknights", True, None)


@pytest.mark.parametrize("menus, expected", [
    ([{"type": "profile_follow", "name": "关注", "userInfo": {"allow_msg": 0}}], False),
    ([{"type": "profile_follow", "name": "关注"}], False),
    ([{"type": "link", "name": "私信"}], True),
    (None, None),
])
def test_profile_messages_closed_or_unknown(menus, expected):
    info = {"screen_name": "x", **({"toolbar_menus": menus} if menus is not None else {})}
    assert weibo.parse_profile(json.dumps({"ok": 1, "data": {"userInfo": info}})).messages_open is expected


def test_urls():
    assert weibo.posts_url("123", "99") == ("https://m.weibo.cn/api/container/getIndex?type=uid&value=123"
                                            "&containerid=107603123&since_id=99")
    assert weibo.profile_url("123").endswith("containerid=100505123")
