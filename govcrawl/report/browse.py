"""Datasette metadata for `govcrawl serve`: Chinese labels, facets by unit and indicator, one canned query per 附件.

The canned queries take an optional :run_id (empty = the latest run holding sites). They mirror the report's
ordering (省直 first, then region code) but `govcrawl report` stays the reference output.
"""
from __future__ import annotations

from govcrawl import schema
from govcrawl.report.order import PROBLEM_ORDER, PROVINCIAL_UNITS
from govcrawl.rules.wording import PHRASES

TABLE_TITLES = {"runs": "检查批次", "sites": "网站", "fetches": "首页访问记录", "columns": "栏目", "entries": "栏目信息条目",
                "links": "链接", "channels": "互动渠道", "letters": "公众信件", "guides": "办事指南",
                "findings": "检查发现", "accounts": "政务新媒体账号", "safety": "内容安全线索", "reviews": "人工核实记录"}
LABELS = {
    "run_id": "检查批次", "site_code": "网站标识码", "name": "名称", "unit": "市州/部门", "kind": "类型",
    "registered_url": "填报首页地址", "final_url": "实际首页地址", "reachable": "可访问", "passed": "合格(1)/不合格(0)",
    "status": "检查状态", "indicator": "指标", "veto": "单项否决", "detail": "问题详情", "evidence_url": "证据页面",
    "evidence": "判定依据(JSON)", "url": "地址", "category": "栏目类别", "newest_date": "最新信息日期",
    "entries": "条目数", "stale": "超期未更新", "title": "标题", "date": "发布日期", "asked_on": "来信日期",
    "answered_on": "答复日期", "as_of": "监测时间点", "platform": "平台", "account_id": "账号",
    "cadence_days": "更新间隔(天)", "periods_overdue": "逾期周期数", "blank_marker": "空白标记",
    "review": "人工核实(open/confirmed/dismissed)", "review_note": "核实情况", "decision": "核实结论", "note": "说明",
    "by": "核实人", "decided_at": "核实时间",
}
FACETS = {"sites": ["unit", "passed", "status"], "findings": ["indicator", "veto", "review"], "columns": ["category", "stale"],
          "letters": ["status"], "accounts": ["unit", "platform", "status"], "channels": ["kind", "working"]}
LABEL_COLUMNS = {"sites": "name", "columns": "name", "entries": "title", "letters": "title", "guides": "title",
                 "accounts": "name"}

_PROV = ", ".join(f"'{u}'" for u in PROVINCIAL_UNITS)
_RUN = ("coalesce(nullif(:run_id, ''), (select run_id from runs where run_id in (select run_id from sites) "
        "and status = 'finished' order by started_at desc limit 1))")
_UNIT_ORDER = f"case when unit in ({_PROV}) then 0 else 1 end, min(substr(site_code, 1, 4))"
_SHARE = ("case when {f} = 0 then '0.00%' else printf('%.2f%%', 100.0 * {f} / {c}) end")


def _case(values: dict[str, object]) -> str:
    def lit(v):
        return str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"
    return "case indicator " + " ".join(f"when {lit(k)} then {lit(v)}" for k, v in values.items()) + " else indicator end"


def annex_queries(has_accounts: bool) -> dict[str, dict]:
    phrase = _case({k: v for k, v in PHRASES.items()})
    rank = _case({code: n for n, code in enumerate(PROBLEM_ORDER)})
    queries = {
        "annex1": {"title": "附件1 全省政府网站检查情况", "sql": f"""
select case when unit in ({_PROV}) then '省直部门' else unit end as 单位, count(*) as 实际运行网站数,
  sum(passed is not null) as 检查网站数, sum(passed = 0) as 发现存在突出问题的网站数,
  {_SHARE.format(f='sum(passed = 0)', c='sum(passed is not null)')} as 占检查数比例
from sites where run_id = {_RUN} group by 单位 order by {_UNIT_ORDER}"""},
        "annex2": {"title": "附件2 检查发现存在突出问题的政府网站名单", "sql": f"""
with f as (select site_code, {phrase} as phrase, {rank} as rank from findings
           where run_id = {_RUN} and veto = 1 order by site_code, rank)
select case when s.unit in ({_PROV}) then '省直' else s.unit end as "市州/部门", s.name as 网站名称,
  group_concat(f.phrase, '；') as 存在的突出问题, s.site_code as 网站标识码
from sites s join f on f.site_code = s.site_code
where s.run_id = {_RUN} and s.passed = 0
group by s.site_code order by case when s.unit in ({_PROV}) then 0 else 1 end,
  (select min(substr(site_code, 1, 4)) from sites x where x.run_id = s.run_id and x.unit = s.unit), s.site_code"""},
    }
    queries["verify"] = {"title": "需人工核实（安全、泄密事故等严重问题）", "sql": f"""
select f.site_code as 网站标识码, s.name as 网站名称, f.indicator as 指标, f.detail as 问题详情,
  f.evidence_url as 证据页面, coalesce(f.review, 'open') as 人工核实, f.review_note as 核实情况
from findings f join sites s on s.run_id = f.run_id and s.site_code = f.site_code
where f.run_id = {_RUN} and f.review is not null order by f.review, f.site_code"""}
    if has_accounts:
        run = _RUN.replace("from sites)", "from accounts)")
        queries["annex3"] = {"title": "附件3 全省政务新媒体抽查情况", "sql": f"""
with a as (select *, exists(select 1 from findings f where f.run_id = accounts.run_id and f.site_code = account_id
           and f.veto = 1) as bad from accounts where run_id = {run} and status = 'checked')
select case when unit in ({_PROV}) then '省直部门' else unit end as 单位, count(*) as 抽查政务新媒体数,
  sum(bad) as 发现存在突出问题的政务新媒体数, {_SHARE.format(f='sum(bad)', c='count(*)')} as 占检查数比例
from a group by 单位 order by case when unit in ({_PROV}) then 0 else 1 end, 单位"""}
        queries["annex4"] = {"title": "附件4 抽查发现存在突出问题的政务新媒体名单", "sql": f"""
with f as (select site_code, {phrase} as phrase, {rank} as rank from findings
           where run_id = {run} and veto = 1 order by site_code, rank)
select case when a.unit in ({_PROV}) then '省直' else a.unit end as "市州/部门", a.name as 新媒体账号名称,
  group_concat(f.phrase, '，') as 存在的突出问题, a.platform as 账号平台
from accounts a join f on f.site_code = a.account_id where a.run_id = {run}
group by a.account_id order by case when a.unit in ({_PROV}) then 0 else 1 end, a.unit, a.name"""}
    for q in queries.values():
        q["sql"] = q["sql"].strip()
        q["description"] = "run_id 留空 = 最近一次正常结束的检查（interrupted 的批次须指名）"
    return queries


def metadata(db_name: str, tables: list[str]) -> dict:
    """Datasette metadata for a govcrawl database named `db_name` holding `tables`."""
    out_tables = {}
    for table in tables:
        doc = schema.TABLES.get(table, {})
        cols = {name: f"{LABELS[name]}" + (f"：{spec[1]}" if spec[1] else "") if name in LABELS else spec[1]
                for name, spec in doc.get("columns", {}).items()}
        out_tables[table] = {k: v for k, v in {
            "title": TABLE_TITLES.get(table, table), "description": doc.get("doc", ""),
            "columns": cols, "facets": [f for f in FACETS.get(table, [])],
            "label_column": LABEL_COLUMNS.get(table)}.items() if v}
    return {"title": "govcrawl 政府网站检查", "description": "政府网站与政务新媒体检查结果（国办秘函〔2019〕19号）",
            "databases": {db_name: {"tables": out_tables, "queries": annex_queries("accounts" in tables)}}}
