"""Content-safety review codes over stored facts: what fires, what is a near miss, and the finding's identity."""
from datetime import date

import pytest

from govcrawl.rules import RuleSettings, SafetyFact, SiteFacts, judge_site, site_passed
from govcrawl.rules.safety import cloaking_redirect, hidden_links, personal_data, tampered_content, wording_error

T, S = date(2019, 6, 10), RuleSettings()
HOME = "http://swj.czs.gov.cn/"


def site(*facts):
    return SiteFacts("4310000011", registered_url=HOME, final_url=HOME, reachable=True, safety=list(facts))


def hidden(url, text, why="display:none"):
    return SafetyFact("hidden_links", HOME, url, {"host": url.split("/")[2], "text": text, "why": why})


@pytest.mark.parametrize("fact,verdict", [
    (hidden("http://www.vns5555.com/", "澳门威尼斯人"), "fail"),
    (hidden("http://www.bjpk10jh.net/", "开奖计划"), "fail"),              # the term is in the address
    (hidden("http://flcp.hunan.gov.cn/", "湖南省福利彩票发行中心"), "pass"),  # a government lottery authority
    (hidden("http://www.people.com.cn/", "人民网"), "pass"),                 # hidden, off government, no term
])
def test_hidden_links(fact, verdict):
    out = hidden_links(site(fact), T, S)
    assert out.verdict == verdict
    if verdict == "pass":
        assert out.evidence["not_counted"][0]["target"] == fact.key


def version(url, title, text):
    return {"url": url, "title": title, "text": text}


NORMAL = version(HOME, "郴州市商务局", "首页 工作动态 通知公告 " * 20)


@pytest.mark.parametrize("key,evidence,verdict", [
    ("user-agent", {"normal": NORMAL, "status": 200, "variant": version(HOME, "百家乐", "澳门威尼斯人 百家乐")}, "fail"),
    ("referer", {"normal": NORMAL, "status": 302, "variant": version("http://www.vns5555.com/", "", "")}, "fail"),
    ("referer", {"normal": NORMAL, "status": 200, "variant": {**NORMAL, "text": NORMAL["text"] + "新闻一条"}}, "pass"),
    ("user-agent", {"normal": NORMAL, "status": 403}, "unknown"),           # refused a fake spider: decides nothing
    ("user-agent", {"normal": NORMAL, "error": "TimeoutError"}, "unknown"),
    ("script", {"script": "document.referrer ... baidu ... location.href="}, "fail"),
])
def test_cloaking(key, evidence, verdict):
    assert cloaking_redirect(site(SafetyFact("cloaking_redirect", HOME, key, evidence)), T, S).verdict == verdict


def test_cloaking_not_checked_is_unknown():
    assert cloaking_redirect(site(), T, S).verdict == "unknown"


def tamper(title_terms=(), body_terms=(), lawful_title=(), lawful_text=()):
    return SafetyFact("tampered_content", HOME + "gzdt/", "page", {
        "title": "t", "title_terms": list(title_terms), "body_terms": list(body_terms),
        "lawful_title": list(lawful_title), "lawful_text": list(lawful_text)})


@pytest.mark.parametrize("fact,verdict", [
    (tamper(title_terms=["百家乐"]), "fail"),
    (tamper(title_terms=["六合彩"], lawful_title=["打击"]), "pass"),       # 关于打击六合彩的通告
    (tamper(body_terms=["百家乐", "六合彩", "时时彩"]), "fail"),
    (tamper(body_terms=["百家乐", "六合彩", "时时彩"], lawful_text=["严禁"]), "pass"),
    (tamper(body_terms=["百家乐", "六合彩"]), "pass"),                      # below GOVCRAWL_TAMPERED_MIN_TERMS
])
def test_tampered_content(fact, verdict):
    assert tampered_content(site(fact), T, S).verdict == verdict


def test_personal_data_and_wording_findings_carry_masked_evidence():
    pd = SafetyFact("personal_data", HOME, "**************3026",
                    {"kind": "id_number", "masked": "**************3026", "context": "张桂兰 **************3026"})
    out = personal_data(site(pd), T, S)
    assert out.verdict == "fail" and "身份证号1个" in out.sentence and out.evidence["items"][0]["masked"].endswith("3026")
    we = SafetyFact("wording_error", HOME, "中华人民共合国", {"wrong": "中华人民共合国", "right": "中华人民共和国",
                                                            "source": "constitution", "context": "《中华人民共合国宪法》"})
    assert "“中华人民共合国”应为“中华人民共和国”" in wording_error(site(we), T, S).sentence
    assert personal_data(site(), T, S).verdict == wording_error(site(), T, S).verdict == "pass"


def test_review_codes_never_fail_a_site_and_keep_their_identity():
    facts = site(hidden("http://www.vns5555.com/", "澳门威尼斯人"), hidden("http://www.av9988.cc/", "成人视频"))
    findings = [f for f in judge_site(facts, T) if f.indicator == "hidden_links"]
    assert len(findings) == 1 and not findings[0].veto and site_passed(findings)
    reordered = site(hidden("http://www.av9988.cc/", "成人视频"), hidden("http://www.vns5555.com/", "澳门威尼斯人"))
    other = site(hidden("http://www.vns5555.com/", "澳门威尼斯人"))
    key = lambda f: next(x for x in judge_site(f, T) if x.indicator == "hidden_links").evidence["finding_key"]  # noqa
    assert key(facts) == key(reordered) != key(other)
