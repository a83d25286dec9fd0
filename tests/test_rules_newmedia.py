"""New-media rules (govcrawl/rules/newmedia.py): not updated, no interaction, unchecked never fails."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from govcrawl.accounts import Account, BackendFacts
from govcrawl.rules.newmedia import AccountFacts, apply_backend, judge_account
from govcrawl.rules.wording import problems_text

T = date(2019, 6, 10)
WB = Account("a1", "湖南民政", "省直", "新浪微博", "https://m.weibo.cn/u/1234567")
WX = Account("a2", "益阳人防", "益阳市", "微信", "")
OPEN_WB = dict(comments_open=True, messages_open=True)
OPEN_WX = dict(menu=True, messages_open=False, auto_reply=False)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day)


@pytest.mark.parametrize("account, facts, status, passed, codes", [
    (WB, AccountFacts(newest_post=at("2019-05-27"), posts_read=True, **OPEN_WB), "checked", True, []),   # T−14: fresh
    (WB, AccountFacts(newest_post=at("2019-05-26"), posts_read=True, **OPEN_WB), "checked", False,
     ["account_not_updated"]),
    (WB, AccountFacts(newest_post=at("2019-04-01"), pinned_newest=at("2019-06-09"), posts_read=True, **OPEN_WB),
     "checked", False, ["account_not_updated"]),
    (WB, AccountFacts(posts_read=True, **OPEN_WB), "checked", False, ["account_not_updated"]),        # no post at all
    (WB, AccountFacts(newest_post=at("2019-06-09"), comments_open=False, messages_open=False), "checked", False,
     ["account_no_interaction"]),
    (WB, AccountFacts(newest_post=at("2019-06-09"), comments_open=False, messages_open=None), "unchecked", None, []),
    (WB, AccountFacts(unread=["微博：登录墙"]), "unchecked", None, []),
    (WX, AccountFacts(newest_post=at("2019-06-01"), **OPEN_WX), "checked", True, []),
    (WX, AccountFacts(newest_post=at("2019-06-01")), "unchecked", None, []),       # interaction unknown
    (WX, AccountFacts(newest_post=at("2019-03-01"), menu=False, messages_open=False, auto_reply=False), "checked",
     False, ["account_not_updated", "account_no_interaction"]),
    (WX, AccountFacts(unread=["搜狗反爬验证页面"]), "unchecked", None, []),
    (Account("a3", "x", "长沙市", "抖音", ""), AccountFacts(posts_read=True), "unsupported", None, []),
    # the platform says the account is gone: never a finding, even with no post and every channel closed
    (WB, AccountFacts(gone="账号不存在或已注销/封禁：主页接口返回 ok=0，msg=这里还没有内容", posts_read=True,
                      comments_open=False, messages_open=False), "gone", None, []),
])
def test_judge_account(account, facts, status, passed, codes):
    verdict = judge_account(account, facts, T)
    assert (verdict.status, verdict.passed, [f.indicator for f in verdict.findings]) == (status, passed, codes)
    assert all(f.veto for f in verdict.findings)
    if status != "checked":
        assert verdict.reason


def test_details_carry_evidence_and_wording():
    facts = AccountFacts(newest_post=at("2019-04-18 09:00"), pinned_newest=at("2019-06-09"), posts_read=True,
                         newest_url="https://m.weibo.cn/status/1", **OPEN_WB)
    [finding] = judge_account(WB, facts, T).findings
    assert "2019-04-18" in finding.detail and "置顶" in finding.detail and finding.evidence_url.endswith("/1")
    assert finding.evidence["window_start"] == "2019-05-27"
    assert problems_text(["account_not_updated"], account=True, platform="weibo") == "超过2周未更新"
    assert (problems_text(["account_not_updated", "account_no_interaction"], account=True, platform="wechat")
            == "监测时间点前2周内无更新，未提供有效互动功能")


def test_backend_facts_merge():
    facts = AccountFacts(newest_post=at("2019-04-01"), newest_source="sogou")
    apply_backend(facts, BackendFacts("a2", at("2019-06-08 10:00"), True, None, False))
    assert (facts.newest_post, facts.newest_source, facts.menu, facts.messages_open, facts.auto_reply) == (
        at("2019-06-08 10:00"), "import", True, None, False)
    apply_backend(facts, BackendFacts("a2", at("2019-01-01"), None, None, None))     # an older export never wins
    assert facts.newest_post == at("2019-06-08 10:00")


def test_facts_json_round_trip():
    facts = AccountFacts(newest_post=at("2019-04-01 10:00"), posts_read=True, menu=False, unread=["x"])
    assert AccountFacts.from_json(facts.as_json()) == facts


def test_no_interaction_names_the_facts_that_decided_it():
    facts = AccountFacts(newest_post=at("2019-06-09"), posts_read=True, comments_open=False, messages_open=False,
                         sources={"comments_open": "账号设置：allow_all_comment", "messages_open": "allow_msg"})
    [finding] = judge_account(WB, facts, T).findings
    assert finding.indicator == "account_no_interaction" and "依据：账号设置：allow_all_comment；allow_msg" in finding.detail
    assert finding.evidence["sources"] == facts.sources


def test_gone_reason_is_the_platform_answer():
    verdict = judge_account(WB, AccountFacts(gone="主页接口返回 ok=0，msg=这里还没有内容", unread=["微博：接口返回错误"]), T)
    assert verdict.status == "gone" and verdict.reason.startswith("主页接口返回 ok=0") and "接口返回错误" in verdict.reason
