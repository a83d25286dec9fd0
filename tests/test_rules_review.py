"""Review codes: broken_links, footer_incomplete, sitecode_mismatch, domain_nonconforming, future_dated."""
from datetime import date, timedelta

import pytest

from govcrawl.rules import (
    EntryFact, FooterFacts, LinkFact, RuleSettings, SiteFacts, broken_links, domain_nonconforming, footer_incomplete,
    future_dated, sitecode_mismatch,
)

T = date(2019, 6, 1)
S = RuleSettings()
HOME = "http://www.yywhyc.gov.cn/"
FULL = FooterFacts("4309000034", "4309000034", None, "湘ICP备05001234号", "湘公网安备 43090202000111号", True,
                   "益阳市文物局", "电话：0737-4222222", True)


def site(**kw):
    return SiteFacts(kw.pop("site_code", "4309000034"), registered_url=kw.pop("registered_url", HOME), reachable=True, **kw)


@pytest.mark.parametrize("links,verdict,home,other", [
    ([], "pass", 0, 0),
    ([LinkFact(HOME, HOME + "x.pdf", "附件", "attachment")], "pass", 0, 0),
    ([LinkFact("http://yywhyc.gov.cn/", HOME + "gone/", "旧栏目", "broken", 404)], "fail", 1, 0),  # www. form of home
    ([LinkFact(HOME + "gzdt/", HOME + "a.html", "某文", "broken", 500), LinkFact(HOME, HOME + "b/", "b", "broken")], "fail", 1, 1),
])
def test_broken_links(links, verdict, home, other):
    out = broken_links(site(links=links), T, S)
    assert (out.verdict, len(out.evidence["homepage"]), len(out.evidence["other_pages"])) == (verdict, home, other)


@pytest.mark.parametrize("footer,verdict,missing", [
    (FULL, "pass", []),
    (None, "unknown", None),
    (FooterFacts(jiucuo_sitecode="4309000034"), "fail",
     ["网站标识码", "ICP备案号", "公安机关备案号", "党政机关网站标识", "主办单位", "联系方式"]),
    (FooterFacts(**{**FULL.__dict__, "jiucuo_script": False, "jiucuo_sitecode": None}), "fail", ["我为政府网站找错"]),
])
def test_footer_incomplete(footer, verdict, missing):
    out = footer_incomplete(site(footer=footer), T, S)
    assert out.verdict == verdict
    if missing is not None:
        assert out.evidence["missing"] == missing


@pytest.mark.parametrize("footer,verdict", [
    (FULL, "pass"),
    (FooterFacts(site_code_text="4309000043"), "fail"),
    (FooterFacts(meta_sitecode="4309000034", jiucuo_sitecode="4309000035"), "fail"),
    (FooterFacts(), "not-applicable"),
    (None, "unknown"),
])
def test_sitecode_mismatch(footer, verdict):
    assert sitecode_mismatch(site(footer=footer), T, S).verdict == verdict


def test_sitecode_case_and_detail():
    assert sitecode_mismatch(site(site_code="bm17000009", footer=FooterFacts(meta_sitecode="BM17000009")), T, S).verdict == "pass"
    out = sitecode_mismatch(site(footer=FooterFacts(jiucuo_sitecode="4309000043")), T, S)
    assert out.sentence == "网站标识码与填报信息不一致：填报4309000034，找错脚本为4309000043"


@pytest.mark.parametrize("url,kind,portal,verdict", [
    ("http://www.yiyang.gov.cn/", "portal", None, "pass"),
    ("http://fgw.yiyang.gov.cn/", "department", "http://www.yiyang.gov.cn/", "pass"),
    ("http://www.yyfgw.gov.cn/", "department", "http://www.yiyang.gov.cn/", "fail"),   # not under its portal
    ("http://www.yiyang.gov.cn/fgw/", "department", "http://www.yiyang.gov.cn/", "pass"),  # portal sub-site
    ("http://www.yywh.com/", "department", None, "fail"),
    ("http://61.187.0.10/", "", None, "fail"),
    ("http://www.湖南.政务/", "portal", None, "pass"),
])
def test_domain_nonconforming(url, kind, portal, verdict):
    assert domain_nonconforming(site(registered_url=url, kind=kind, portal_url=portal), T, S).verdict == verdict


@pytest.mark.parametrize("entries,verdict,count", [
    ([EntryFact("今日", HOME + "a.html", T)], "pass", 0),
    ([EntryFact("明日", HOME + "b.html", T + timedelta(days=1), HOME + "gzdt/")], "fail", 1),
    ([EntryFact("无日期", HOME + "c.html", None)], "pass", 0),
])
def test_future_dated(entries, verdict, count):
    out = future_dated(site(future_entries=entries, homepage_entries=entries), T, S)
    assert (out.verdict, len(out.evidence["entries"])) == (verdict, count)
    if verdict == "fail":
        assert out.evidence_url == HOME + "gzdt/"


@pytest.mark.parametrize("registered, problem, verdict", [
    ("https://a.hunan.gov.cn/", "证书已过期（certificate has expired）", "fail"),
    ("https://a.hunan.gov.cn/", None, "pass"),
    ("http://a.hunan.gov.cn/", None, "not-applicable"),
])
def test_tls_invalid(registered, problem, verdict):
    from govcrawl.rules.review import tls_invalid

    facts = SiteFacts("4300000001", registered_url=registered, final_url=registered, reachable=True, tls_problem=problem)
    assert tls_invalid(facts, date(2019, 6, 10), RuleSettings()).verdict == verdict
