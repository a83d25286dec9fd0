"""no_service and guide_elements_missing."""
from datetime import date

import pytest

from govcrawl.rules import ColumnFacts, GuideFact, LinkFact, RuleSettings, SiteFacts, guide_elements_missing, no_service

T = date(2019, 6, 1)
S = RuleSettings()
HOME = "http://www.hnnj.gov.cn/"


def site(kind="department", services=None, columns=(), links=(), guides=()):
    return SiteFacts("4300000009", kind=kind, services=services, registered_url=HOME, reachable=True,
                     columns=list(columns), links=list(links), guides=list(guides))


NEWS = ColumnFacts(HOME + "gzdt/", "工作动态", "news")


@pytest.mark.parametrize("kind,services,columns,links,verdict", [
    ("department", None, [NEWS], [], "not-applicable"),
    ("department", False, [NEWS], [], "not-applicable"),
    ("portal", None, [NEWS], [], "fail"),
    ("department", True, [NEWS], [], "fail"),
    ("department", True, [NEWS, ColumnFacts(HOME + "bsfw/", "办事服务", "reference")], [], "pass"),
    ("department", True, [NEWS, ColumnFacts(HOME + "bsfw/", "办事服务", "reference", http_status=404)], [], "fail"),
    ("department", True, [NEWS, ColumnFacts(HOME + "zn/", "指南", role="guides")], [], "pass"),
    ("department", True, [NEWS], [LinkFact(HOME, "http://zwfw.hunan.gov.cn/", "湖南政务服务网")], "pass"),
    ("department", True, [NEWS], [LinkFact(HOME, "http://wsbs.gxzf.gov.cn/", "")], "pass"),   # known platform host
    ("department", True, [NEWS], [LinkFact(HOME, "http://zwfw.hunan.gov.cn/", "网上办事", "broken")], "fail"),
    ("portal", True, [], [], "unknown"),
    ("department", True, [NEWS, ColumnFacts(HOME + "bsfw/", "办事服务", "reference", pages=0, read_state="unread",
                                            read_reason="未能读取（TimeoutError）")], [], "undecided"),  # not opened
    ("department", True, [NEWS, ColumnFacts(HOME, "首页", role="homepage", read_state="unread")], [], "undecided"),
    ("department", True, [NEWS, ColumnFacts(HOME, "首页", role="homepage", read_state="navigation")], [], "fail"),
])
def test_no_service(kind, services, columns, links, verdict):
    out = no_service(site(kind, services, columns, links), T, S)
    assert out.verdict == verdict
    if verdict == "fail":
        assert out.sentence.startswith("未提供办事服务")


def g(n_missing, i=0):
    names = ("materials", "location", "agency", "fee", "hours")
    return GuideFact(f"{HOME}bszn/{i}.html", f"指南{i}", {c: (None if k < n_missing else "有") for k, c in enumerate(names)})


def labels_only(i):
    return GuideFact(f"{HOME}bszn/{i}.html", f"指南{i}", {}, labels_only=True)


@pytest.mark.parametrize("guides,settings,verdict", [
    ([g(4, 0), g(5, 1)], S, "fail"),
    ([g(4, 0), g(3, 1)], S, "pass"),                   # share 1.0: every sampled guide must miss ≥ 4
    ([g(3, 0), g(3, 1)], S, "pass"),
    ([g(4, 0), g(3, 1)], RuleSettings(guide_fail_share=0.5), "fail"),
    ([g(3, 0)], RuleSettings(guide_missing_min=3), "fail"),
    ([], S, "not-applicable"),
    ([g(5, 0), labels_only(1)], S, "undecided"),       # script-filled values: unread, could be complete or not
    ([labels_only(0), labels_only(1)], S, "undecided"),  # nothing read: never "all missing"
    ([g(0, 0), labels_only(1)], S, "pass"),           # one complete guide read: share cannot reach 1.0
    ([g(4, 0), g(4, 1), labels_only(2)], RuleSettings(guide_fail_share=0.5), "fail"),  # 2 of 3 even if it is complete
])
def test_guide_elements_missing(guides, settings, verdict):
    assert guide_elements_missing(site(guides=guides), T, settings).verdict == verdict


def test_guide_values_use_the_extractor_rules():
    guide = GuideFact(HOME + "bszn/1.html", "农机购置补贴", {"materials": "暂无", "location": "—", "agency": "/",
                                                         "fee": "无", "hours": ""})
    assert guide.missing == ["materials", "location", "agency", "hours"]  # 无 is an answer for 收费标准
    out = guide_elements_missing(site(guides=[guide]), T, S)
    assert out.verdict == "fail" and out.evidence_url == HOME + "bszn/1.html"
    assert "《农机购置补贴》缺办理材料、办理地点、办理机构、办理时间" in out.sentence


def test_guide_from_row():
    row = {"url": "u", "title": "t", "materials": "申请书", "location": None, "agency": "某局", "fee": "不收费", "hours": None}
    assert GuideFact.from_row(row).missing == ["location", "hours"]


def test_no_guides_on_a_service_site_is_unknown():
    assert guide_elements_missing(site(services=True), T, S).verdict == "unknown"
