"""The report against earlier runs of the same registry: each unit's pass rate across runs (the trend chart) and,
from `govcrawl diff`'s comparison with the previous run, which failing sites are new, still failing or fixed."""
from __future__ import annotations

from dataclasses import dataclass, field

from govcrawl.report import charts, order
from govcrawl.report.diff import diff_runs

NEW, STILL, FIXED = "新发现", "仍未整改", "已整改"


@dataclass
class History:
    runs: list[str]                                      # labels of the runs, oldest first, this one last
    series: list[charts.Series]
    previous_run: str | None = None
    changes: dict[str, str] = field(default_factory=dict)   # failing site_code -> NEW | STILL
    fixed: list[list[str]] = field(default_factory=list)    # [网站标识码, 网站名称, 单位, 上次问题] fixed since


def earlier_runs(db, run: dict) -> list[dict]:
    """Finished runs of the same spider and registry started before `run`, oldest first, then `run` itself."""
    rows = list(db.query("select * from runs where spider = ? and registry = ? and status = 'finished' "
                         "and run_id != ? and started_at < ? order by started_at, rowid",
                         [run["spider"], run["registry"], run["run_id"], run["started_at"] or ""]))
    return rows + [run]


def build_history(db, run: dict, regions: dict[str, str]) -> History | None:
    if not {"registry", "status", "started_at"} <= set(db["runs"].columns_dict):
        return None
    runs = earlier_runs(db, run)
    if len(runs) < 2:
        return None
    rates: dict[str, dict[str, float]] = {}
    for r in runs:
        for row in db.query("select unit, sum(passed is not null) checked, sum(passed = 0) failing from sites "
                            "where run_id = ? group by unit", [r["run_id"]]):
            if row["checked"]:
                rates.setdefault(order.table_label(row["unit"] or ""), {})[r["run_id"]] = round(
                    100 * (row["checked"] - row["failing"]) / row["checked"], 2)
    units = sorted(rates, key=lambda u: order.unit_sort_key(u, regions))
    series = [charts.Series(u, [rates[u].get(r["run_id"]) for r in runs]) for u in units]
    previous = runs[-2]["run_id"]
    diff = diff_runs(db, previous, run["run_id"])
    before = {s.site_code: s for s in diff.sites}
    changes, fixed = {}, []
    for s in db.query("select site_code, passed from sites where run_id = ? and passed = 0", [run["run_id"]]):
        was = before.get(s["site_code"])
        changes[s["site_code"]] = STILL if was is not None and was.passed_a is False else NEW
    for s in diff.sites:
        if s.passed_a is False and s.passed_b is True:
            fixed.append([s.site_code, s.name, order.list_label(s.unit),
                          "；".join(i.problem for i in s.of("fixed") if i.veto)])
    return History([f"{r['as_of']} {r['run_id']}" for r in runs], series, previous, changes, fixed)


def trend_chart(report) -> str | None:
    h = getattr(report, "history", None)
    if h is None:
        return None
    return charts.trend_svg(h.runs, h.series, "各单位政府网站检查合格率变化")
