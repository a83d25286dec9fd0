"""`scrapy crawl newmedia` over saved Weibo responses (tests/pages/weibo/<case>/, https through the replay proxy):
a gone account, others' posts in group cards, a repost as the only fresh post, account-level closed comments,
an API error, and a since_id page that fails."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from govcrawl.extract import weibo
from govcrawl.replay.store import relative_file
from tests.conftest import crawl
from tests.shape_cases import page_file, saved_case

REAL_UID = "6279793937"             # the account of the captured responses


def answer(case: str) -> str:
    """A captured Weibo answer, tests/pages/weibo/<case>/inputs/."""
    return page_file(saved_case("weibo", case)).read_text(encoding="utf-8")


JSON_TYPE = {"content_type": "application/json; charset=utf-8"}
RATE_LIMIT = '{"ok":0,"msg":"请求过于频繁，歇歇吧"}'
ONLY_PINNED = json.dumps({"ok": 1, "data": {"cardlistInfo": {"since_id": 77}, "cards": [
    json.loads(answer("getindex"))["data"]["cards"][0]]}})   # the real pinned card
CASES = {  # account_id: (uid, profile, posts page 1, since_id page 77 or None)
    "gone": ("5100000001", answer("gone"), answer("gone"), None),
    "group": ("5100000002", answer("profile"), answer("group_others"), None),
    "repost": ("5100000003", answer("profile_closed"), answer("repost_only"), None),
    "apierr": ("5100000004", answer("profile"), RATE_LIMIT, None),
    "page2err": ("5100000005", answer("profile"), ONLY_PINNED, RATE_LIMIT),
}


def saved(text: str, uid: str) -> str:
    return text.replace(REAL_UID, uid)      # the same captured shapes, one uid per account


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("nmcases")
    manifest, rows = {}, ["account_id,name,unit,platform,url"]
    for account_id, (uid, profile, posts, page2) in CASES.items():
        rows.append(f"{account_id},账号{account_id},长沙市,新浪微博,https://m.weibo.cn/u/{uid}")
        for url, body in ((weibo.profile_url(uid), profile), (weibo.posts_url(uid), posts),
                          (weibo.posts_url(uid, "77"), page2)):
            if body is None:
                continue
            path = root / "hosts" / relative_file(url)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(saved(body, uid), encoding="utf-8")
            manifest[url] = JSON_TYPE
    (root / "manifest.json").write_text(json.dumps({"responses": manifest}), encoding="utf-8")
    (root / "accounts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = root / "nm.db"
    result = crawl(out, "-a", "run=c", fixtures=root, spider="newmedia", as_of="2021-06-20", timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def query(db: Path, sql: str, *args) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args)]


def account(db: Path, account_id: str) -> tuple[dict, list[str], dict]:
    [row] = query(db, "select * from accounts where account_id = ?", account_id)
    codes = sorted(f["indicator"] for f in query(db, "select * from findings where site_code = ?", account_id))
    return row, codes, json.loads(row["facts"])


def test_gone_account_has_its_own_status_and_evidence_and_no_finding(db):
    row, codes, facts = account(db, "gone")
    assert (row["status"], row["passed"], codes) == ("gone", None, [])
    assert "这里还没有内容" in row["reason"] and "containerid=1005055100000001" in row["reason"]


def test_others_posts_in_a_group_card_never_make_a_stale_account_fresh(db):
    row, codes, facts = account(db, "group")
    assert (row["status"], codes) == ("checked", ["account_not_updated"])
    assert facts["newest_post"].startswith("2021-04-06")
    assert [p["post_id"] for p in query(db, "select * from posts where account_id = 'group'")] == ["4600000000000001"]
    assert facts["sources"]["messages_open"].startswith("主页工具栏“聊天”按钮")


def test_a_repost_is_the_accounts_post_and_account_settings_close_comments(db):
    row, codes, facts = account(db, "repost")
    assert (row["status"], codes) == ("checked", ["account_no_interaction"])      # fresh by its repost
    assert facts["newest_post"].startswith("2021-06-15")
    assert "allow_all_comment" in facts["sources"]["comments_open"] and facts["sources"]["messages_open"].startswith(
        "allow_msg")
    [finding] = query(db, "select * from findings where site_code = 'repost'")
    assert "依据" in finding["detail"] and "allow_all_comment" in json.loads(finding["evidence"])["sources"]["comments_open"]


@pytest.mark.parametrize("account_id, why", [("apierr", "请求过于频繁"), ("page2err", "请求过于频繁")])
def test_an_error_answer_leaves_the_account_unchecked(db, account_id, why):
    row, codes, facts = account(db, account_id)
    assert (row["status"], row["passed"], codes) == ("unchecked", None, [])
    assert why in row["reason"] and facts["posts_read"] is False


def interaction_of(settings, post_flags):
    from govcrawl.accounts import Account
    from spiders.newmedia import AccountState, NewMediaSpider

    state = AccountState(Account("a", "x", "长沙市", "新浪微博", "https://m.weibo.cn/u/5100000009"))
    state.account_flags, state.comment_flags = settings, post_flags
    NewMediaSpider.weibo_interaction(state)
    return state.facts


def test_the_account_setting_outranks_old_posts_that_show_comments():
    closed = weibo.AccountFlags(comments_open=False, comments_flag="allow_all_comment")
    facts = interaction_of(closed, [(True, "comments_count", "https://m.weibo.cn/status/1")])
    assert facts.comments_open is False and facts.sources["comments_open"].startswith("账号设置：allow_all_comment")


def test_without_a_setting_any_open_post_opens_comments_and_all_closed_posts_close_them():
    opened = interaction_of(None, [(False, "comment_permission_type", "u1"), (True, "enable_comment_guide", "u2")])
    assert opened.comments_open is True and "enable_comment_guide" in opened.sources["comments_open"]
    closed = interaction_of(weibo.AccountFlags(), [(False, "comment_permission_type", "u1")] * 2)
    assert closed.comments_open is False and "2条微博均如此" in closed.sources["comments_open"]
    assert interaction_of(None, []).comments_open is None and interaction_of(None, []).sources == {}
