"""Weibo getIndex posts and profile (govcrawl/extract/weibo.py); tests/pages/weibo/<case>/ are real shapes."""
from __future__ import annotations

import json
from datetime import date, datetime
import pytest

from govcrawl.dates import DateParser
from govcrawl.extract import weibo
from tests.shape_cases import as_of, case_id, page_file, replay_saved, saved_case, saved_cases

T = DateParser(date(2019, 6, 10))


def read_weibo_answer(page, spec: dict) -> dict:
    """The answer read as a page of posts of the account and as its profile, whichever expected.json asks."""
    found = {}
    if "posts" in spec:
        found["posts"] = weibo.parse_posts(page.text, DateParser(as_of(spec)), page.url, spec["uid"])
    if "profile" in spec:
        found["profile"] = weibo.parse_profile(page.text, page.url)
    return found


@pytest.mark.parametrize("case", saved_cases("weibo"), ids=case_id)
def test_saved_answers(case):
    got, expected = replay_saved(case, read_weibo_answer)
    assert got == expected


def page_with(*blogs, cards_before=()):
    cards = list(cards_before) + [{"card_type": 9, "scheme": f"https://m.weibo.cn/status/{b['id']}", "mblog": b}
                                  for b in blogs]
    return json.dumps({"ok": 1, "data": {"cardlistInfo": {"since_id": 42}, "cards": cards}})


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


@pytest.mark.parametrize("blog, pinned, comments, flag", [
    ({"isTop": 1}, True, None, ""),
    ({"title": {"text": "置顶"}}, True, None, ""),
    ({"comments_count": 3}, False, True, "comments_count"),
    ({"comments_count": 0, "comment_manage_info": {"comment_permission_type": -1}}, False, True,
     "comment_permission_type"),
    ({"comments_count": 0, "comment_manage_info": {"comment_permission_type": 2}}, False, False,
     "comment_permission_type"),
    ({"enable_comment_guide": True}, False, True, "enable_comment_guide"),
    ({"enable_comment_guide": False}, False, None, ""),       # not a statement that comments are closed
])
def test_pinned_and_comments(blog, pinned, comments, flag):
    post = weibo.parse_posts(page_with({"id": "1", "created_at": "06-01", **blog}), T).posts[0]
    assert (post.pinned, post.comments_open, post.comments_flag) == (pinned, comments, flag)
    assert flag == "" or flag in weibo.INTERACTION_FLAGS


@pytest.mark.parametrize("text, url", [
    ('{"ok":-100,"url":"https://passport.weibo.cn/signin/welcome"}', "https://m.weibo.cn/api/container/getIndex"),
    ("<html><title>Sina Visitor System</title></html>", "https://m.weibo.cn/api/container/getIndex"),
    ("<html>登录</html>", "https://passport.weibo.cn/signin/login?entry=mweibo"),
])
def test_login_walls_are_blocked_not_empty(text, url):
    page = weibo.parse_posts(text, T, url)
    assert page.blocked and "登录墙" in page.blocked and page.posts == []


UID = "6279793937"          # the account of the captured responses


@pytest.mark.parametrize("text", [
    page_file(saved_case("weibo", "gone")).read_text(encoding="utf-8"),        # real answer for a missing account
    '{"ok":0,"msg":"这里还没有内容","data":{"cards":[{"card_type":9,"mblog":{"id":"1"}}]}}',
    '{"ok":0,"msg":"用户不存在"}',
])
def test_an_error_answer_is_never_an_empty_timeline(text):
    page = weibo.parse_posts(text, T, uid=UID)
    assert page.blocked.startswith("接口返回错误：ok=0") and page.posts == []


def test_another_api_error_is_no_gone_account():
    other_error = weibo.parse_profile('{"ok":0,"msg":"请求过于频繁"}')
    assert other_error.gone is None and "请求过于频繁" in other_error.blocked


def test_unattributed_posts_count_only_at_the_top_level():
    anonymous = {"id": "5", "created_at": "06-09"}
    group = {"card_type": 11, "card_group": [{"card_type": 9, "mblog": {"id": "6", "created_at": "06-09"}}]}
    page = weibo.parse_posts(page_with(anonymous, cards_before=[group]), T, uid=UID)
    assert [p.post_id for p in page.posts] == ["5"] and page.others == 1


@pytest.mark.parametrize("user, comments, messages", [
    ({"allow_all_comment": True, "allow_all_act_msg": True}, True, True),
    ({"allow_all_comment": False, "allow_all_act_msg": False}, False, None),   # act_msg false: followers only
    ({"id": 1}, None, None),
])
def test_account_flags_of_a_user_object(user, comments, messages):
    flags = weibo.account_flags(user)
    assert (flags.comments_open, flags.messages_open) == (comments, messages)


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


@pytest.mark.parametrize("msg, gone", [
    ("这里还没有内容", True), ("用户不存在", True), ("该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看", True),
    ("服务暂时无法访问，请稍后再试", False), ("请求过于频繁", False),
])
def test_only_a_missing_account_answer_is_gone(msg, gone):
    profile = weibo.parse_profile(json.dumps({"ok": 0, "msg": msg}))
    assert bool(profile.gone) is gone and msg in profile.blocked
