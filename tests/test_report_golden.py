"""Golden test: the report of the replayed demo province against the notice (附件2) and the database (附件1)."""
import sqlite_utils

from govcrawl.report import build_report

# 附件2 of notice-2019-hunan (市州/部门, 网站名称, 存在的突出问题, 网站标识码) exactly as printed; the reference text
# carries ASCII ',' and ';' where the published notice has full-width punctuation, hence `_fullwidth`.
NOTICE_ANNEX2 = [
    ("省直", "湖南省地方志编纂委员会", "互动回应不及时,监测时间点前1年内,对公众信件存在超过三个月未回应的现象", "4300000017"),
    ("省直", "湖南省人力资源和社会保障厅", "互动回应不及时,监测时间点前1年内,对公众信件存在超过三个月未回应的现象", "4300000025"),
    ("省直", "湖南省中医药管理局", "网站首页地址与全国政府网站信息报送系统填报地址不一致", "4300000065"),
    ("省直", "湖南省广播电视局网站", "互动回应不及时,监测时间点前1年内,对公众信件存在超过三个月未回应的现象", "4300000068"),
    ("省直", "湖南省农业机械化信息网", "办事指南重点要素类别(办理材料、办理地点、办理机构、收费标准、办理时间)均缺失4类及以上",
     "4300000009"),
    ("省直", "湖南文化遗产网", "互动回应不及时,监测时间点前1年内,对公众信件存在超过三个月未回应的现象;"
     "应更新但长期未更新的栏目数量超过(含)10个", "4300000047"),
    ("邵阳市", "北塔区人民政府网", "应更新但长期未更新的栏目数量超过(含)10个", "4305110001"),
    ("益阳市", "益阳市房地产管理局政务网", "互动回应不及时,监测时间点前1年内,对公众信件存在超过三个月未回应的现象", "4309000018"),
    ("益阳市", "益阳文化遗产网", "未提供网上有效咨询建言渠道", "4309000034"),
    ("永州市", "永州市自然资源和规划局", "应更新但长期未更新的栏目数量超过(含)10个", "4311000019"),
    ("怀化市", "市文化旅游广电体育局", "网站首页地址与全国政府网站信息报送系统填报地址不一致", "4312000007"),
    ("娄底市", "涟源市人民政府", "应更新但长期未更新的栏目数量超过(含)10个", "4313820002"),
]
REGION_ORDER = ["长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市", "益阳市", "郴州市",
                "永州市", "怀化市", "娄底市", "湘西自治州"]


def _fullwidth(text: str) -> str:
    return text.replace(",", "，").replace(";", "；")


def test_annex2_rows_of_the_notice_sites(demo_db):
    report = build_report(demo_db, "demo")
    rows = {r.code: (r.unit, r.name, r.problems, r.code) for r in report.annex2}
    for unit, name, problems, code in NOTICE_ANNEX2:
        assert rows.get(code) == (unit, name, _fullwidth(problems), code)
    numbers = [r.number for r in report.annex2]
    assert numbers == list(range(1, len(numbers) + 1))


def test_annex2_lists_exactly_the_failing_sites_in_unit_order(demo_db):
    report = build_report(demo_db, "demo")
    db = sqlite_utils.Database(demo_db)
    failing = {r["site_code"] for r in db.query("select site_code from sites where run_id='demo' and passed = 0")}
    assert {r.code for r in report.annex2} == failing
    units = [r.unit for r in report.annex2]
    expected = ["省直"] + REGION_ORDER
    assert units == sorted(units, key=expected.index)


def test_annex1_matches_the_database(demo_db):
    report = build_report(demo_db, "demo")
    db = sqlite_utils.Database(demo_db)
    stored = {row["unit"]: row for row in db.query(
        "select unit, count(*) n, sum(passed is not null) checked, sum(passed = 0) bad from sites "
        "where run_id = 'demo' group by unit")}
    *units, total = report.annex1
    assert [u.unit for u in units] == ["省直部门"] + [u for u in REGION_ORDER if u in stored]
    for row in units:
        s = stored["省直" if row.unit == "省直部门" else row.unit]
        assert (row.run, row.checked, row.failing) == (s["n"], s["checked"], s["bad"])
        assert row.share == f"{100 * (s['bad'] or 0) / s['checked']:.2f}%"    # 0.00% too, never a bare 0
    assert (total.number, total.run, total.failing) == ("合计", sum(s["n"] for s in stored.values()),
                                                        sum(s["bad"] for s in stored.values()))
    assert total.share == f"{100 * total.failing / total.checked:.2f}%"


def test_summary_states_pass_rate_and_units_at_100(demo_db):
    report = build_report(demo_db, "demo")
    total = report.annex1[-1]
    rate = f"{100 * (total.checked - total.failing) / total.checked:.2f}%"
    assert f"对{total.checked}家政府网站" in report.summary and f"总体合格率为{rate}" in report.summary
    full = [u.unit for u in report.annex1[:-1] if u.checked and not u.failing]
    assert full and all(u in report.summary for u in full)
    assert f"等{len(full)}个市州" in report.summary or len(full) == 1


def test_evidence_of_a_failing_site(demo_db):
    report = build_report(demo_db, "demo")
    ev = {e.site_code: e for e in report.evidence}
    assert set(ev) == {r.code for r in report.annex2}
    heritage = ev["4300000047"]                      # stale columns + an unanswered letter
    stale = [c for c in heritage.columns if c.stale]
    assert len(stale) >= 10 and all(c.newest_date for c in stale)
    assert heritage.overdue_letters and heritage.overdue_letters[0].asked_on == "2019-01-15"
    assert heritage.overdue_letters[0].status == "至今未答复"
    guides = ev["4300000009"].guides                 # the guide element grid
    assert guides and all(g.missing >= 4 for g in guides) and len(guides[0].present) == 5
    chain = ev["4300000065"].redirect_chain           # 301 + 302 to another host
    assert [step["status"] for step in chain][:2] == [301, 302]
