"""site_unreachable (crawl attempts and monitor probes) and homepage_url_mismatch, both sides of each threshold."""
from datetime import date, timedelta

import pytest

from govcrawl.rules import FetchAttempt, ProbeDay, RuleSettings, SiteFacts, homepage_url_mismatch, site_unreachable

T = date(2019, 6, 1)
S = RuleSettings()
URL = "http://www.hnsdfz.gov.cn/"


def attempts(*specs):
    return [FetchAttempt(URL, i + 1, status, error, ms) for i, (status, error, ms) in enumerate(specs)]


@pytest.mark.parametrize("fetches,verdict", [
    (attempts((200, None, 800)), "pass"),
    (attempts((None, "timeout", 15001), (None, "timeout", 15001), (200, None, 15000)), "pass"),   # 15 s exactly is in time
    (attempts((None, "timeout", 15001), (None, "timeout", 15001), (None, "timeout", 15001)), "fail"),
    (attempts((200, None, 15001), (200, None, 16000), (200, None, 20000)), "fail"),               # 2xx but too slow
    (attempts((503, None, 100), (502, None, 100), (404, None, 100)), "fail"),
    (attempts((None, "DNS lookup failed", None)), "fail"),
    (attempts((301, None, 100)), "fail"),                                                          # a redirect never settled
    (attempts((204, None, None)), "pass"),                                                         # no timing: status decides
])
def test_crawl_attempts(fetches, verdict):
    out = site_unreachable(SiteFacts("4300000017", registered_url=URL, fetches=fetches), T, S)
    assert out.verdict == verdict
    if verdict == "fail":
        assert out.sentence.startswith("站点无法访问") and f"共访问{len(fetches)}次" in out.sentence
        assert out.evidence_url == URL and len(out.evidence["attempts"]) == len(fetches)


@pytest.mark.parametrize("reachable,verdict", [(True, "pass"), (False, "fail"), (None, "unknown")])
def test_without_attempt_rows(reachable, verdict):
    assert site_unreachable(SiteFacts("4300000017", registered_url=URL, reachable=reachable), T, S).verdict == verdict


def probes(failures, per_day=20, days=7):
    return [ProbeDay(T - timedelta(days=i), per_day, failures if i == 0 else 0) for i in range(days)]


@pytest.mark.parametrize("days,verdict,mode", [
    (probes(7), "fail", "monitor"),           # 7/140 = 5.0 % -> fails at ≥ 5 %
    (probes(6), "pass", "monitor"),           # 6/140 = 4.29 %
    (probes(7, per_day=19), "pass", "crawl"),  # 19 a day is not monitoring: the crawl attempt decides
    (probes(7, days=6), "pass", "crawl"),      # 6 days are not a week
])
def test_monitor_mode(days, verdict, mode):
    facts = SiteFacts("4300000017", registered_url=URL, probes=days, fetches=attempts((200, None, 500)))
    out = site_unreachable(facts, T, S)
    assert (out.verdict, out.evidence["mode"]) == (verdict, mode)


def test_monitor_ratio_is_a_setting():
    facts = SiteFacts("4300000017", registered_url=URL, probes=probes(6))
    assert site_unreachable(facts, T, RuleSettings(probe_failure_ratio=0.04)).verdict == "fail"


@pytest.mark.parametrize("registered,final,verdict", [
    ("http://www.hntcm.gov.cn/", "http://www.hntcm.gov.cn/index.html", "pass"),
    ("http://www.hntcm.gov.cn/", "https://hntcm.gov.cn/", "pass"),                  # www. and scheme ignored
    ("http://www.hunan.gov.cn/", "http://tcm.hunan.gov.cn/", "fail"),              # same registered domain, other host
    ("http://www.hntcm.gov.cn/", "http://www.hnwjw.gov.cn/", "fail"),
    ("http://www.hh.gov.cn/wgxj/", "http://www.hh.gov.cn/", "fail"),               # left the registered directory
    ("http://www.hh.gov.cn/wgxj/index.html", "http://www.hh.gov.cn/wgxj/main.html", "pass"),
    ("http://www.hh.gov.cn/index.html", "http://www.hh.gov.cn/col/col1/index.html", "pass"),  # new path on same host
    ("http://WWW.HH.gov.cn:80/", "http://www.hh.gov.cn/", "pass"),
])
def test_homepage_url_mismatch(registered, final, verdict):
    facts = SiteFacts("4312000007", registered_url=registered, final_url=final, reachable=True,
                      redirect_chain=[{"url": final, "status": 301, "kind": "http"}])
    out = homepage_url_mismatch(facts, T, S)
    assert out.verdict == verdict
    if verdict == "fail":
        assert out.evidence_url == final and registered in out.sentence and "301跳转" in out.sentence


def test_mismatch_without_redirect_or_homepage():
    assert homepage_url_mismatch(SiteFacts("1", registered_url=URL, reachable=True), T, S).verdict == "pass"
    assert homepage_url_mismatch(SiteFacts("1", registered_url=URL, reachable=False), T, S).verdict == "unknown"


def test_mismatch_names_in_page_redirects():
    facts = SiteFacts("1", registered_url="http://www.a.gov.cn/", final_url="http://new.a.gov.cn/", reachable=True,
                      redirect_chain=[{"url": "http://new.a.gov.cn/", "status": 200, "kind": "moved-notice"}])
    assert "网站迁移提示" in homepage_url_mismatch(facts, T, S).sentence


def test_an_unrecorded_homepage_visit_is_never_a_finding():
    """No attempt on record and no probes: nothing was read, so neither code fires, and no other rule runs."""
    from govcrawl.rules import judge_site, judge_site_fully

    facts = SiteFacts("4300000001", registered_url=URL)
    assert site_unreachable(facts, T, S).verdict == "unknown"
    assert homepage_url_mismatch(facts, T, S).verdict == "unknown"
    assert judge_site(facts, T, S) == [] and judge_site_fully(facts, T, S)[1] == []


def test_a_homepage_that_opened_but_was_not_read_leaves_its_content_codes_undecided():
    """Reached (attempt 1 answered) but its blocks were script-filled and not rendered: homepage_not_updated and the
    channel/service codes that need the homepage are undecided, site_unreachable passes on the attempt."""
    from govcrawl.rules import ColumnFacts, judge_site_fully

    facts = SiteFacts("4300000001", registered_url=URL, final_url=URL, reachable=True, kind="portal",
                      fetches=attempts((200, None, 800)),
                      columns=[ColumnFacts(URL, "首页", role="homepage", read_state="unread",
                                           read_reason="首页区块由脚本填充（ajax-xhr），未能渲染读取")])
    findings, undecided = judge_site_fully(facts, T, S)
    assert not [f for f in findings if f.veto]
    assert {u["indicator"] for u in undecided} == {"homepage_not_updated", "no_consultation_channel", "no_service"}
