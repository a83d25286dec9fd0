"""no_consultation_channel and letters_unanswered (window [T−1y, T], reply within 3 calendar months)."""
from datetime import date

import pytest

from govcrawl.rules import ChannelFact, LetterFact, RuleSettings, SiteFacts, letters_unanswered, no_consultation_channel

T = date(2019, 6, 1)
S = RuleSettings()
HOME = "http://www.hnrst.gov.cn/"


def site(channels=(), letters=()):
    return SiteFacts("4300000025", registered_url=HOME, reachable=True, channels=list(channels), letters=list(letters))


def ch(name, kind="consultation", working=True, offsite=False):
    return ChannelFact(name, f"{HOME}{abs(hash(name))}/", kind, offsite, working)


@pytest.mark.parametrize("channels,verdict", [
    ([ch("厅长信箱")], "pass"),
    ([ch("12345热线", offsite=True)], "pass"),                   # a unified platform counts
    ([ch("网上信访", "petition"), ch("纪检举报", "report")], "fail"),  # special channels do not count
    ([ch("领导信箱", working=False)], "fail"),                    # dead, empty or 维护中
    ([ch("领导信箱", working=None)], "undecided"),                # present, not checked: neither pass nor finding
    ([ch("12345热线", offsite=True, working=None)], "undecided"),  # another host, not checked
    ([ch("12345热线", offsite=True, working=None), ch("领导信箱")], "pass"),
    ([ch("12345热线", offsite=True, working=False), ch("领导信箱", working=False)], "fail"),  # both seen dead
    ([ch("12345热线", offsite=True, working=None), ch("领导信箱", working=False)], "undecided"),
    ([], "fail"),
])
def test_no_consultation_channel(channels, verdict):
    out = no_consultation_channel(site(channels), T, S)
    assert out.verdict == verdict
    if verdict == "fail":
        assert out.sentence.startswith("未提供网上有效咨询建言渠道")


def test_channel_failure_explains_what_was_found():
    out = no_consultation_channel(site([ch("网上信访", "petition"), ChannelFact("在线咨询", HOME + "zx/", working=False,
                                                                               note="系统维护中")]), T, S)
    assert "在线咨询（系统维护中）" in out.sentence and "网上信访（网上信访）" in out.sentence
    assert out.evidence_url == HOME + "zx/"


def letter(asked, answered=None, status=None, kind="consultation", title="信件"):
    return LetterFact(title, f"{HOME}xj/{title}.html", asked, answered, status, "厅长信箱", kind)


@pytest.mark.parametrize("letters,verdict", [
    ([letter(date(2019, 1, 10), date(2019, 4, 10), "answered")], "pass"),          # exactly 3 months
    ([letter(date(2019, 1, 10), date(2019, 4, 11), "answered")], "fail"),          # one day late
    ([letter(date(2019, 3, 2), None, "pending")], "pass"),                         # not yet 3 months: asked ≥ T−3m
    ([letter(date(2019, 3, 1), None, "pending")], "pass"),                         # T−3m exactly
    ([letter(date(2019, 2, 28), None, "pending")], "fail"),                        # asked < T−3m = 2019-03-01
    ([letter(date(2018, 6, 1), None, "pending")], "fail"),                         # T−1y is inside the window
    ([letter(date(2018, 5, 31), None, "pending")], "pass"),                        # before the window
    ([letter(date(2018, 8, 1), date(2019, 1, 1), "answered")], "fail"),            # replied, 5 months late
    ([letter(date(2018, 1, 1), date(2019, 1, 1), "answered")], "pass"),            # asked before the window
    ([letter(date(2019, 1, 2), None, "answered")], "pass"),                        # answered, date unknown
    ([letter(date(2019, 1, 2), None, None)], "pass"),                              # undetermined: listed only
    ([letter(date(2019, 1, 2), date(2019, 6, 20), None)], "fail"),                 # replied after T: unanswered at T
    ([letter(date(2019, 1, 2), None, "pending", kind="petition")], "not-applicable"),  # 信访 is not consultation
    ([letter(None, None, "pending")], "pass"),
    ([], "not-applicable"),
])
def test_letters_unanswered(letters, verdict):
    assert letters_unanswered(site(letters=letters), T, S).verdict == verdict


def test_letters_detail_and_evidence():
    letters = [letter(date(2019, 1, 2), None, "answered", title="A"), letter(date(2018, 9, 1), None, "pending", title="B"),
               letter(date(2018, 7, 1), date(2018, 11, 5), "answered", title="C")]
    out = letters_unanswered(site(letters=letters), T, S)
    assert out.verdict == "fail"
    assert out.sentence == ("互动回应不及时，监测时间点前1年内，对公众信件存在超过三个月未回应的现象"
                            "（共2封：《C》来信2018-07-01，2018-11-05答复、《B》来信2018-09-01，至今未答复）")
    assert out.evidence_url == f"{HOME}xj/C.html"
    assert [x["title"] for x in out.evidence["answered_undated"]] == ["A"]


def test_channel_without_published_letters_is_unknown():
    assert letters_unanswered(site(channels=[ch("厅长信箱")]), T, S).verdict == "unknown"


def test_reply_window_is_a_setting():
    letters = [letter(date(2019, 1, 10), date(2019, 3, 20), "answered")]
    assert letters_unanswered(site(letters=letters), T, RuleSettings(letters_reply_months=2)).verdict == "fail"


def test_an_unchecked_channel_is_undecided_with_its_reason():
    channel = ChannelFact("12345热线", "http://12345.hunan.gov.cn/", offsite=True, working=None,
                          note="未能核验（TimeoutError: timed out）")
    out = no_consultation_channel(site([channel]), T, S)
    assert out.verdict == "undecided" and "12345热线（未能核验（TimeoutError: timed out））" in out.sentence
    assert out.evidence_url == "http://12345.hunan.gov.cn/"


def test_no_channel_on_an_unread_homepage_is_undecided():
    from govcrawl.rules import ColumnFacts

    facts = site()
    facts.columns = [ColumnFacts(url=HOME, name="首页", role="homepage", read_state="unread",
                                 read_reason="首页区块由脚本填充（ajax-xhr），未能渲染读取")]
    assert no_consultation_channel(facts, T, S).verdict == "undecided"
    facts.columns[0].read_state = "navigation"
    assert no_consultation_channel(facts, T, S).verdict == "fail"
