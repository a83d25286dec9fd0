"""The re-check (复核) view: which findings of run A are fixed, still open or new in run B, per site.

A finding counts as fixed only when run B judged the site and it no longer fires. When B could not judge the site
(incomplete, or unreachable so the other rules were skipped) its earlier findings are 'unverified', not fixed.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import sqlite_utils

from govcrawl.report import order
from govcrawl.report.safety import reviewed_findings
from govcrawl.report.table import Table
from govcrawl.rules.wording import phrase_or_code

STATES = ("fixed", "open", "new", "unverified")
STATE_NAMES = {"fixed": "已整改", "open": "仍存在", "new": "新发现", "unverified": "无法复核"}


@dataclass
class DiffItem:
    indicator: str
    problem: str
    state: str              # fixed | open | new | unverified
    veto: bool
    detail_a: str
    detail_b: str


@dataclass
class SiteDiff:
    site_code: str
    name: str
    unit: str
    passed_a: bool | None
    passed_b: bool | None
    items: list[DiffItem] = field(default_factory=list)

    def of(self, state: str) -> list[DiffItem]:
        return [i for i in self.items if i.state == state]


@dataclass
class RunDiff:
    run_a: str
    run_b: str
    sites: list[SiteDiff]
    counts: dict[str, int]
    only_in_a: list[str] = field(default_factory=list)   # site codes dropped from the registry
    only_in_b: list[str] = field(default_factory=list)

    def pairs(self, state: str) -> set[tuple[str, str]]:
        return {(s.site_code, i.indicator) for s in self.sites for i in s.items if i.state == state}

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def table_rows(self) -> list[list[str]]:
        """One row per site and finding: 网站标识码, 网站名称, 单位, 状态, 问题, 复核前, 复核后."""
        rows = []
        for s in self.sites:
            for i in s.items:
                rows.append([s.site_code, s.name, s.unit, STATE_NAMES[i.state], i.problem,
                             _verdict(s.passed_a), _verdict(s.passed_b)])
        return rows


DIFF_HEADERS = ["网站标识码", "网站名称", "单位", "复核结果", "问题", "首次检查", "复核检查"]


def _verdict(passed: bool | None) -> str:
    return "未判定" if passed is None else ("合格" if passed else "不合格")


def _load(db, run_id: str) -> tuple[dict[str, dict], dict[str, dict[str, dict]]]:
    if db["runs"].exists() and db["runs"].count_where("run_id = ?", [run_id]) == 0:
        raise KeyError(f"run {run_id!r} is not in the database")
    sites = {s["site_code"]: s for s in db.query("select * from sites where run_id = ?", [run_id])}
    findings: dict[str, dict[str, dict]] = {}
    for f in reviewed_findings(list(db.query("select * from findings where run_id = ?", [run_id]))):
        findings.setdefault(f["site_code"], {})[f["indicator"]] = f
    return sites, findings


def diff_runs(db: sqlite_utils.Database, run_a: str, run_b: str) -> RunDiff:
    sites_a, found_a = _load(db, run_a)
    sites_b, found_b = _load(db, run_b)
    regions = order.unit_regions((s["unit"], s["site_code"]) for s in [*sites_a.values(), *sites_b.values()])
    out = []
    for code in sorted(set(sites_a) & set(sites_b)):
        a, b = sites_a[code], sites_b[code]
        fa, fb = found_a.get(code, {}), found_b.get(code, {})
        judged_b = b["passed"] is not None and "site_unreachable" not in fb
        site = SiteDiff(code, b["name"] or "", b["unit"] or "", _bool(a["passed"]), _bool(b["passed"]))
        for indicator in order.ordered_problems([*fa, *fb]):
            if indicator in fa and indicator in fb:
                state = "open"
            elif indicator in fa:
                state = "fixed" if judged_b else "unverified"
            else:
                state = "new"
            row = fb.get(indicator) or fa[indicator]
            site.items.append(DiffItem(indicator, phrase_or_code(indicator), state, bool(row["veto"]),
                                       (fa.get(indicator) or {}).get("detail") or "",
                                       (fb.get(indicator) or {}).get("detail") or ""))
        if site.items:
            out.append(site)
    out.sort(key=lambda s: (order.unit_sort_key(s.unit, regions), s.site_code))
    counts = {state: sum(len(s.of(state)) for s in out) for state in STATES}
    return RunDiff(run_a, run_b, out, counts, sorted(set(sites_a) - set(sites_b)), sorted(set(sites_b) - set(sites_a)))


def _bool(value) -> bool | None:
    return None if value is None else bool(value)


def summary_line(d: RunDiff) -> str:
    c = d.counts
    text = (f"复核批次 {d.run_b} 对照首次检查批次 {d.run_a}：已整改{c['fixed']}项，仍存在{c['open']}项，"
            f"新发现{c['new']}项，无法复核{c['unverified']}项。")
    if d.only_in_a or d.only_in_b:
        text += f"仅在首次检查中的网站{len(d.only_in_a)}家，仅在复核中的网站{len(d.only_in_b)}家。"
    return text


def diff_table(d: RunDiff) -> Table:
    return Table("diff", "复核情况", DIFF_HEADERS, d.table_rows(), summary_line(d))
