"""homepage_not_updated, columns_not_updated, columns_long_stale, blank_columns: windows and thresholds."""
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from govcrawl.rules import (
    ColumnFacts, EntryFact, RuleSettings, SiteFacts, blank_columns, columns_long_stale, columns_not_updated,
    homepage_not_updated,
)

T = date(2019, 6, 1)
S = RuleSettings()
HOME = "http://www.bt.gov.cn/"
N = 0


def col(category="news", newest=None, entries=5, first_level=True, **kw):
    global N
    N += 1
    return ColumnFacts(url=f"{HOME}c{N}/", name=kw.pop("name", f"栏目{N}"), category=category, newest_date=newest,
                       entries=entries, dated_entries=entries if newest else 0, first_level=first_level, **kw)


def site(columns=(), homepage=()):
    return SiteFacts("4305110001", registered_url=HOME, reachable=True, columns=list(columns),
                     homepage_entries=list(homepage))


DAYS = lambda n: T - timedelta(days=n)  # noqa: E731
MONTHS = lambda n: T - relativedelta(months=n)  # noqa: E731


@pytest.mark.parametrize("columns,verdict,count", [
    ([col("news", DAYS(15)) for _ in range(5)], "fail", 5),
    ([col("news", DAYS(15)) for _ in range(4)], "pass", 4),
    ([col("news", DAYS(14)) for _ in range(5)], "pass", 0),                      # T−14 is inside the window
    ([col("notice", MONTHS(6) - timedelta(days=1)) for _ in range(5)], "fail", 5),
    ([col("notice", MONTHS(6)) for _ in range(5)], "pass", 0),                   # calendar months, inclusive
    ([col("notice", MONTHS(7), first_level=False) for _ in range(5)], "pass", 0),  # notice: first level only
    ([col("news", DAYS(20), first_level=False) for _ in range(5)], "fail", 5),   # news: any level
    ([col("periodic", MONTHS(11)) for _ in range(5)], "pass", 0),                 # periodic is not in this rule
    ([col("news", DAYS(30)) for _ in range(3)] + [col("notice", MONTHS(8)) for _ in range(2)], "fail", 5),
    ([col("news", None, entries=3) for _ in range(5)], "fail", 5),               # undated entries are not updates
    ([col("news", None, entries=3, read_state="undated") for _ in range(5)], "undecided", 0),  # articles not read
    ([col("news", T + timedelta(days=3)) for _ in range(5)], "fail", 5),         # future dates are not updates
    ([col("news", DAYS(30), links_elsewhere=True) for _ in range(5)], "unknown", 0),
    ([col("news", DAYS(30), links_elsewhere=True) for _ in range(5)] + [col("news", DAYS(1))], "pass", 0),
    ([col("news", DAYS(30), pages=0) for _ in range(3)] + [col("news", DAYS(30))], "pass", 1),   # unread: not counted
    ([col("news", DAYS(30), pages=0) for _ in range(4)] + [col("news", DAYS(30))], "undecided", 1),  # could reach 5
    ([col("news", DAYS(30), http_status=404) for _ in range(4)] + [col("news", DAYS(30))], "pass", 1),  # broken
    ([col("news", None, entries=0, read_state="empty") for _ in range(5)] + [col("news", DAYS(1))], "pass", 0),
    ([col("news", None, entries=0) for _ in range(5)] + [col("news", DAYS(1))], "undecided", 0),  # nothing seen
    ([col("reference", None, entries=0) for _ in range(6)] + [col("news", DAYS(1))], "pass", 0),
    ([], "unknown", 0),
])
def test_columns_not_updated(columns, verdict, count):
    out = columns_not_updated(site(columns), T, S)
    assert (out.verdict, out.evidence["count"]) == (verdict, count)


def test_columns_not_updated_detail_and_evidence():
    columns = [col("news", DAYS(20 + i), name=f"动态{i}") for i in range(4)] + [col("notice", None, entries=2, name="通知公告")]
    out = columns_not_updated(site(columns), T, S)
    assert out.verdict == "fail"
    assert out.sentence.startswith("栏目不更新，动态、要闻类栏目及通知公告、政策文件类栏目累计超过(含)5个未更新（共5个：通知公告（最新无日期）")
    assert "动态3（最新2019-05-09）" in out.sentence
    assert out.evidence_url == columns[-1].url  # the oldest: never dated


@pytest.mark.parametrize("columns,verdict,count", [
    ([col("periodic", MONTHS(12) - timedelta(days=1)) for _ in range(10)], "fail", 10),
    ([col("periodic", MONTHS(12)) for _ in range(10)], "pass", 0),
    ([col("periodic", MONTHS(13)) for _ in range(9)], "pass", 9),
    ([col("notice", MONTHS(7), first_level=False) for _ in range(10)], "fail", 10),  # every level here
    ([col("news", DAYS(15)) for _ in range(6)] + [col("periodic", MONTHS(14)) for _ in range(4)], "fail", 10),
    ([col("reference", date(2010, 1, 1)) for _ in range(12)] + [col("news", DAYS(1))], "pass", 0),
    ([col("periodic", date(2017, 3, 2), links_elsewhere=True) for _ in range(12)] + [col("news", DAYS(1))], "pass", 0),
    ([col("periodic", None, entries=0, blank_marker="暂无信息") for _ in range(12)], "pass", 0),  # blank: not stale too
    ([col("periodic", None, entries=None) for _ in range(12)], "undecided", 0),     # entries unknown: undecided
    ([col("periodic", None, entries=0, read_state="content") for _ in range(12)], "undecided", 0),  # undated page
    ([col("periodic", MONTHS(13)) for _ in range(9)] + [col("periodic", read_state="unread", entries=0)],
     "undecided", 9),
])
def test_columns_long_stale(columns, verdict, count):
    out = columns_long_stale(site(columns), T, S)
    assert (out.verdict, out.evidence["count"]) == (verdict, count)


def test_long_stale_detail_names_the_oldest_first():
    columns = [col("periodic", date(2018, 1, 1) + timedelta(days=i), name=f"栏目{i}") for i in range(11)]
    columns.append(col("periodic", date(2017, 3, 2), name="人事信息"))
    out = columns_long_stale(site(columns), T, S)
    assert out.sentence.startswith("应更新但长期未更新的栏目数量超过(含)10个（共12个：人事信息（最新2017-03-02）、栏目0（最新2018-01-01）")
    assert out.evidence_url == columns[-1].url
    assert out.evidence["columns"][0] == {**out.evidence["columns"][0], "name": "人事信息", "newest_date": "2017-03-02"}


def test_thresholds_are_settings():
    columns = [col("news", DAYS(40)) for _ in range(3)]
    custom = RuleSettings(columns_not_updated_min=3, columns_long_stale_min=3, news_window_days=60)
    assert columns_not_updated(site(columns), T, RuleSettings(columns_not_updated_min=3)).verdict == "fail"
    assert columns_long_stale(site(columns), T, custom).verdict == "pass"  # 40 days is fresh in a 60-day window


@pytest.mark.parametrize("columns,verdict,count", [
    ([col("news", None, entries=0, read_state="empty") for _ in range(5)], "fail", 5),   # empty list containers
    ([col("news", None, entries=0, read_state="empty") for _ in range(4)], "pass", 4),
    ([col("periodic", None, entries=0, blank_marker="栏目建设中") for _ in range(5)], "fail", 5),
    ([col("reference", None, entries=0, read_state="empty") for _ in range(5)], "pass", 0),  # a content page has no list
    ([col("reference", None, entries=0, read_state="content") for _ in range(5)], "pass", 0),
    ([col("reference", None, entries=0, blank_marker="暂无信息") for _ in range(5)], "fail", 5),
    ([col("news", None, entries=0, links_elsewhere=True) for _ in range(5)], "unknown", 0),
    ([col("news", None, entries=0, pages=0) for _ in range(5)] + [col("news", DAYS(1))], "undecided", 0),
    ([col("news", None, entries=0) for _ in range(5)], "undecided", 0),          # no entry extracted, no empty state
    ([col("news", None, entries=0, read_state="unread", read_reason="页面有12个内容链接，但未识别出列表结构")
      for _ in range(16)], "undecided", 0),                                        # sloppy markup: never "blank"
    ([col("news", None, entries=0, blank_marker="暂无信息") for _ in range(3)]
     + [col("news", None, entries=0, read_state="unread") for _ in range(2)], "undecided", 3),
    ([col("news", None, entries=0, blank_marker="暂无信息") for _ in range(3)]
     + [col("news", None, entries=0, read_state="unread")], "pass", 3),          # 3 + 1 cannot reach 5
    ([col("news", DAYS(100), entries=3, blank_marker="暂无信息") for _ in range(5)], "pass", 0),  # it has entries
])
def test_blank_columns(columns, verdict, count):
    out = blank_columns(site(columns), T, S)
    assert (out.verdict, out.evidence["count"]) == (verdict, count)


def test_blank_detail():
    columns = [col("news", None, entries=0, name=f"空{i}", blank_marker="暂无信息" if i == 0 else None,
                   read_state="empty", read_reason="暂无信息" if i == 0 else "列表为空") for i in range(5)]
    out = blank_columns(site(columns), T, S)
    assert out.sentence == "空白栏目数量超过(含)5个（共5个：空0（暂无信息）、空1（列表为空）、空2（列表为空）、空3（列表为空）、空4（列表为空））"


def test_undecided_names_the_unread_columns():
    columns = [col("news", None, entries=0, blank_marker="暂无信息") for _ in range(4)]
    columns.append(col("news", None, entries=0, name="工作动态", read_state="unread",
                       read_reason="列表由脚本填充（ajax-jpage），未能渲染读取"))
    out = blank_columns(site(columns), T, S)
    assert out.verdict == "undecided" and out.evidence_url == columns[-1].url
    assert "工作动态（列表由脚本填充（ajax-jpage），未能渲染读取）" in out.sentence
    assert out.evidence["unread"][0]["name"] == "工作动态"


def entry(day, title="新闻"):
    return EntryFact(title, f"{HOME}a/{title}.html", day, HOME)


@pytest.mark.parametrize("homepage,columns,verdict,mode", [
    ([entry(DAYS(14)), entry(DAYS(40))], [], "pass", "homepage"),
    ([entry(DAYS(15)), entry(DAYS(40))], [col("news", DAYS(1))], "fail", "homepage"),  # homepage itself decides
    ([entry(T + timedelta(days=2))], [], "fail", "homepage"),                          # only a future date
    ([entry(None), entry(None)], [col("news", DAYS(3))], "pass", "second-level"),       # navigation-only homepage
    ([], [col("news", DAYS(15)), col("periodic", MONTHS(2))], "fail", "second-level"),
    ([], [col("news", DAYS(15), links_elsewhere=True), col("news", DAYS(30))], "fail", "second-level"),
    ([], [], "unknown", "second-level"),
    ([], [col("news", DAYS(15)), col("news", entries=0, read_state="unread")], "undecided", "second-level"),
    ([], [col("news", DAYS(15)), col("periodic", entries=0, read_state="content")], "undecided", "second-level"),
    ([], [col("news", DAYS(3)), col("news", entries=0, read_state="unread")], "pass", "second-level"),
])
def test_homepage_not_updated(homepage, columns, verdict, mode):
    out = homepage_not_updated(site(columns, homepage), T, S)
    assert (out.verdict, out.evidence["mode"]) == (verdict, mode)
    if verdict == "fail":
        assert out.sentence.startswith("首页不更新") and out.evidence_url == HOME


def test_homepage_detail_names_the_newest_entry():
    out = homepage_not_updated(site(homepage=[entry(date(2019, 3, 2), "全县春耕生产工作会议召开")]), T, S)
    assert out.sentence == "首页不更新，监测时间点前2周内首页无信息更新（首页最新信息日期2019-03-02（全县春耕生产工作会议召开））"


def home_row(state, reason=None):
    return ColumnFacts(url=HOME, name="首页", role="homepage", read_state=state, read_reason=reason)


SCRIPTED = "首页区块由脚本填充（ajax-jpage），未能渲染读取"


@pytest.mark.parametrize("rows,homepage,verdict", [
    ([home_row("unread", SCRIPTED), col("news", DAYS(40))], [], "undecided"),     # "navigation only" not shown
    ([home_row("unread", SCRIPTED)], [entry(DAYS(40))], "undecided"),              # script blocks may be newer
    ([home_row("unread", SCRIPTED)], [entry(DAYS(3))], "pass"),                    # a fresh date is seen anyway
    ([home_row("navigation"), col("news", DAYS(40))], [], "fail"),                 # read, navigation only
    ([home_row("listed")], [entry(DAYS(40))], "fail"),
])
def test_an_unread_homepage_is_undecided_never_a_finding(rows, homepage, verdict):
    out = homepage_not_updated(site(rows, homepage), T, S)
    assert out.verdict == verdict
    if verdict == "undecided":
        assert SCRIPTED in out.sentence
