"""judge_site / explain_site over every rule, the report wording, settings, cadence; judge_site never raises."""
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from govcrawl.rules import (
    PHRASES, REVIEW_CODES, RULES, VETO_CODES, ChannelFact, ColumnFacts, EntryFact, FetchAttempt, FooterFacts, GuideFact,
    LetterFact, LinkFact, ProbeDay, RuleSettings, SiteFacts, cadence, explain_site, judge_site, phrase, problems_text,
    site_passed,
)

T = date(2019, 6, 1)
HOME = "http://wwj.hunan.gov.cn/"  # a department under its portal's domain, as 国办发〔2017〕47号 asks


def healthy(**kw):
    return SiteFacts(
        "4300000047", name="湖南文化遗产网", kind="department", registered_url=HOME, final_url=HOME, reachable=True,
        fetches=[FetchAttempt(HOME, 1, 200, None, 300)],
        columns=[ColumnFacts(HOME + "gzdt/", "工作动态", "news", True, newest_date=T - timedelta(days=2), entries=20)],
        homepage_entries=[EntryFact("新闻", HOME + "a.html", T - timedelta(days=1), HOME)],
        channels=[ChannelFact("局长信箱", HOME + "jzxx/", working=True)], **kw)


def test_healthy_site_has_no_findings_and_every_rule_is_explained():
    assert judge_site(healthy(), T, RuleSettings()) == []
    explained = explain_site(healthy(), T, RuleSettings())
    assert [code for code, _, _ in explained] == [code for code, _, _ in RULES]
    assert all(verdict in ("pass", "not-applicable", "unknown") for _, verdict, _ in explained)


def test_unreachable_site_gets_site_unreachable_only():
    facts = healthy(letters=[LetterFact("x", HOME + "x", date(2018, 9, 1), None, "pending")])
    facts.reachable = False
    facts.fetches = [FetchAttempt(HOME, i, None, "timeout", 15001) for i in (1, 2, 3)]
    findings = judge_site(facts, T, RuleSettings())
    assert [f.indicator for f in findings] == ["site_unreachable"] and findings[0].veto
    verdicts = dict((c, v) for c, v, _ in explain_site(facts, T, RuleSettings()))
    assert verdicts.pop("site_unreachable") == "fail" and set(verdicts.values()) == {"unknown"}


def test_findings_of_a_failing_site():
    facts = healthy(letters=[LetterFact("x", HOME + "x.html", date(2018, 9, 1), None, "pending")],
                    footer=FooterFacts(site_code_text="4300000048"))
    facts.columns += [ColumnFacts(HOME + f"c{i}/", f"栏目{i}", "periodic", newest_date=date(2017, 3, 2), entries=4)
                      for i in range(10)]
    findings = judge_site(facts, T, RuleSettings())
    codes = [f.indicator for f in findings]
    assert codes == ["columns_long_stale", "letters_unanswered", "footer_incomplete", "sitecode_mismatch"]
    assert [f.veto for f in findings] == [True, True, False, False]
    assert not site_passed(findings) and site_passed(findings[2:])
    assert findings[1].evidence["failing"][0]["asked_on"] == "2018-09-01"  # JSON-safe evidence


def test_wording_table():
    assert phrase("letters_unanswered") == "互动回应不及时，监测时间点前1年内，对公众信件存在超过三个月未回应的现象"
    assert phrase("account_not_updated", platform="wechat") == "监测时间点前2周内无更新"
    assert phrase("account_not_updated") == "超过2周未更新"
    assert problems_text(["letters_unanswered", "columns_long_stale"]) == (
        "互动回应不及时，监测时间点前1年内，对公众信件存在超过三个月未回应的现象；应更新但长期未更新的栏目数量超过(含)10个")
    assert problems_text(["account_not_updated", "account_no_interaction"], account=True, platform="wechat") == (
        "监测时间点前2周内无更新，未提供有效互动功能")
    assert set(VETO_CODES + REVIEW_CODES) <= set(PHRASES)
    with pytest.raises(KeyError):
        phrase("no_such_code")


def test_settings_from_getter():
    env = {"GOVCRAWL_NEWS_WINDOW_DAYS": "21", "GOVCRAWL_GUIDE_FAIL_SHARE": "0.5", "GOVCRAWL_BLANK_COLUMNS_MIN": ""}
    s = RuleSettings.from_settings(env.get)
    assert (s.news_window_days, s.guide_fail_share, s.blank_columns_min, s.columns_long_stale_min) == (21, 0.5, 5, 10)
    assert RuleSettings.from_settings({}.get) == RuleSettings()
    assert RuleSettings().as_dict()["GOVCRAWL_UNREACHABLE_TIMEOUT_S"] == 15.0
    with pytest.raises(ValueError, match="GOVCRAWL_LETTERS_REPLY_MONTHS"):
        RuleSettings.from_settings({"GOVCRAWL_LETTERS_REPLY_MONTHS": "three"}.get)


@pytest.mark.parametrize("dates,expected", [
    ([], (None, None)),
    ([date(2019, 5, 1)], (None, None)),
    ([date(2019, 5, 1), date(2019, 5, 8), date(2019, 5, 15)], (7.0, 2)),      # 17 days since 05-15 = 2 weeks overdue
    ([date(2019, 5, 1), date(2019, 5, 1), date(2019, 5, 31), None], (30.0, 0)),
    ([date(2019, 1, 1), date(2019, 7, 1), date(2019, 2, 1)], (31.0, 3)),      # the future date is ignored
])
def test_cadence(dates, expected):
    assert cadence(dates, T) == expected


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
maybe_days = st.none() | days
text = st.text(max_size=12)
urls = st.sampled_from(["http://www.a.gov.cn/", "https://b.a.gov.cn/x/", "http://c.com/y", "", "not a url", "http://[::1]/"])
facts_strategy = st.builds(
    SiteFacts, site_code=text, name=text, unit=text, kind=st.sampled_from(["portal", "department", ""]),
    services=st.none() | st.booleans(), registered_url=urls, final_url=st.none() | urls, reachable=st.none() | st.booleans(),
    redirect_chain=st.lists(st.fixed_dictionaries({"url": urls, "status": st.none() | st.integers(100, 599),
                                                   "kind": st.sampled_from(["http", "js-location", "x"])}), max_size=2),
    fetches=st.lists(st.builds(FetchAttempt, urls, st.integers(1, 3), st.none() | st.integers(100, 599), st.none() | text,
                               st.none() | st.integers(0, 60000)), max_size=3),
    probes=st.lists(st.builds(ProbeDay, days, st.integers(0, 50), st.integers(0, 50)), max_size=8),
    columns=st.lists(st.builds(ColumnFacts, urls, text, st.sampled_from(["news", "notice", "periodic", "reference", "x"]),
                               st.booleans(), st.sampled_from(["column", "homepage", "letters", "guides"]), maybe_days,
                               st.none() | st.integers(0, 50), st.none() | st.integers(0, 50), st.none() | text,
                               st.booleans(), st.none() | st.integers(0, 5), st.none() | st.integers(100, 599)), max_size=6),
    homepage_entries=st.lists(st.builds(EntryFact, text, urls, maybe_days, urls), max_size=4),
    future_entries=st.lists(st.builds(EntryFact, text, urls, maybe_days, urls), max_size=3),
    channels=st.lists(st.builds(ChannelFact, text, urls, st.sampled_from(["consultation", "petition", "report"]),
                                st.booleans(), st.none() | st.booleans(), st.none() | text), max_size=3),
    letters=st.lists(st.builds(LetterFact, text, urls, maybe_days, maybe_days,
                               st.sampled_from([None, "answered", "pending"]), text,
                               st.sampled_from(["consultation", "petition"])), max_size=4),
    guides=st.lists(st.builds(GuideFact, urls, text, st.dictionaries(
        st.sampled_from(["materials", "location", "agency", "fee", "hours"]), st.none() | text)), max_size=3),
    links=st.lists(st.builds(LinkFact, urls, urls, text, st.sampled_from(["offsite", "attachment", "broken"]),
                             st.none() | st.integers(100, 599)), max_size=3),
    footer=st.none() | st.builds(FooterFacts, st.none() | text, st.none() | text, st.none() | text, st.none() | text,
                                 st.none() | text, st.booleans(), st.none() | text, st.none() | text, st.booleans()),
    portal_url=st.none() | urls,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=facts_strategy, as_of=days)
def test_judge_site_never_raises(facts, as_of):
    findings = judge_site(facts, as_of, RuleSettings())
    assert {f.indicator for f in findings} <= set(VETO_CODES + REVIEW_CODES)
    assert len(explain_site(facts, as_of, RuleSettings())) == len(RULES)
