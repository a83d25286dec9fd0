"""The report's content, built once from the database; every writer (md, html, xlsx, json) renders this object.

Nothing is re-judged here: sites.passed and the findings table are the verdict, phrased by govcrawl.rules.wording.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlite_utils

from govcrawl.report import order
from govcrawl.report.history import build_history
from govcrawl.report.newmedia import newmedia_section
from govcrawl.report.evidence import SiteEvidence, evidence_folder, site_evidence
from govcrawl.report.rows import Apart, ProblemRow, UnitRow, unit_rows
from govcrawl.report.safety import ReviewRow, VerifyRow, mask_report, reviewed_findings, verification_rows, verification_tables
from govcrawl.report.table import Table
from govcrawl.rules.wording import phrase_or_code, problems_text
from govcrawl.runstate import latest_run

METHOD = "国办秘函〔2019〕19号"


@dataclass
class Report:
    run_id: str
    as_of: str
    summary: str
    annex1: list[UnitRow]
    annex2: list[ProblemRow]
    annex3: list[UnitRow]
    annex4: list[ProblemRow]
    newmedia_run: str | None = None
    newmedia_note: str = ""
    run_status: str = "finished"     # runs.status of the website run: a report of an interrupted run says so
    incomplete: list[Apart] = field(default_factory=list)
    unchecked_accounts: list[Apart] = field(default_factory=list)
    gone_accounts: list[Apart] = field(default_factory=list)      # deleted / closed / banned: the platform says so
    review: list[ReviewRow] = field(default_factory=list)
    undecided: list[ReviewRow] = field(default_factory=list)  # veto codes left undecided: what decides them was not read
    verify: list[VerifyRow] = field(default_factory=list)   # content-safety findings: open and confirmed
    evidence: list[SiteEvidence] = field(default_factory=list)
    diff: object | None = None   # govcrawl.report.diff.RunDiff when a re-check view is attached
    history: object | None = None   # govcrawl.report.history.History when the registry has earlier finished runs

    @property
    def status_note(self) -> str:
        """A warning printed under the title when the run did not finish: its numbers are partial."""
        if self.run_status == "finished":
            return ""
        return f"注意：检查批次 {self.run_id} 未正常结束（{self.run_status}），以下数据不完整。"

    def tables(self) -> list[Table]:
        """附件1–4 as printable tables, in the notice's headers."""
        unit_headers = ["序号", "单位", "实际运行网站数", "检查网站数", "发现存在突出问题的网站数", "占检查数比例"]
        media_headers = ["序号", "单位", "抽查政务新媒体数", "发现存在突出问题的政务新媒体数", "占检查数比例"]
        return [
            Table("annex1", "附件1 全省政府网站检查情况", unit_headers,
                  [[r.number, r.unit, str(r.run), str(r.checked), str(r.failing), r.share] for r in self.annex1],
                  count_columns=(0, 2, 3, 4), percent_columns=(5,)),
            self._annex2_table(),
            Table("annex3", "附件3 全省政务新媒体抽查情况", media_headers,
                  [[r.number, r.unit, str(r.checked), str(r.failing), r.share] for r in self.annex3],
                  self.newmedia_note, count_columns=(0, 2, 3), percent_columns=(4,)),
            Table("annex4", "附件4 抽查发现存在突出问题的政务新媒体名单",
                  ["序号", "市州/部门", "新媒体账号名称", "存在的突出问题", "账号平台"],
                  [[str(r.number), r.unit, r.name, r.problems, r.code] for r in self.annex4],
                  self.newmedia_note, count_columns=(0,)),
        ]

    def _annex2_table(self) -> Table:
        """附件2 as the notice prints it; with an earlier run, a last column says new or still failing."""
        headers = ["序号", "市州/部门", "网站名称", "存在的突出问题", "网站标识码"]
        rows = [[str(r.number), r.unit, r.name, r.problems, r.code] for r in self.annex2]
        note = "网站名称一栏显示均为全国政府网信息填报系统中各单位自行填报的内容。"
        if self.history is not None:
            headers.append("与上次检查相比")
            rows = [row + [self.history.changes.get(r.ident, "")] for row, r in zip(rows, self.annex2)]
            note += f"“与上次检查相比”对照检查批次 {self.history.previous_run}。"
        return Table("annex2", "附件2 检查发现存在突出问题的政府网站名单", headers, rows, note, count_columns=(0,))

    def apart_tables(self) -> list[Table]:
        out = []
        if self.history is not None and self.history.fixed:
            out.append(Table("fixed", f"上次检查（{self.history.previous_run}）发现问题、本次已整改的网站",
                             ["网站标识码", "网站名称", "市州/部门", "已整改的问题"], self.history.fixed))
        site, account = ["网站标识码", "网站名称", "单位"], ["账号", "名称", "单位"]
        lists = (   # (key, title, headers, rows): each printed when it has rows
            ("incomplete", "未能完整检查的网站（未计入合格率）", site + ["状态", "原因"], _apart_rows(self.incomplete)),
            ("undecided", "未能判定的指标（所依据的栏目、渠道或首页未能读取：既不作为问题，也不判为通过）",
             site + ["指标", "未能判定的原因"], _review_rows(self.undecided)),
            ("unchecked_accounts", "未能检查的政务新媒体（未计入合格率）", account + ["状态", "原因"],
             _apart_rows(self.unchecked_accounts)),
            ("gone_accounts", "已注销、不存在或被封禁的政务新媒体账号（未计入合格率）", account + ["状态", "依据"],
             _apart_rows(self.gone_accounts)),
            ("review", "需人工复核的问题（不计入合格率）", site + ["问题", "详情"], _review_rows(self.review)),
        )
        out += [Table(key, title, headers, rows) for key, title, headers, rows in lists if rows]
        return out + verification_tables(self.verify)

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["diff"] = self.diff.to_dict() if self.diff is not None else None
        return data


def _apart_rows(items: list[Apart]) -> list[list[str]]:
    return [[a.ident, a.name, a.unit, a.status, a.reason] for a in items]


def _review_rows(items: list[ReviewRow]) -> list[list[str]]:
    return [[r.site_code, r.name, r.unit, r.problem, r.detail] for r in items]


def cn_date(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.year}年{d.month}月{d.day}日"


class RunNotFinished(KeyError):
    """The latest run was interrupted (or still runs): a report of it must be asked for by name."""


def default_run(db: sqlite_utils.Database) -> str:
    """The latest finished website run; an error naming the latest run when none finished."""
    run_id = latest_run(db)
    if run_id is None:
        newest = latest_run(db, status=None) or latest_run(db, spider="provincial", status=None)
        if newest:
            status = db["runs"].get(newest).get("status")
            raise RunNotFinished(f"no finished website run; the latest, {newest}, is {status}: "
                                 "name it with --run to report it anyway")
        raise KeyError("no website run in the database")
    return run_id


def full_units(rows: list[UnitRow]) -> list[str]:
    return [r.unit for r in rows[:-1] if r.checked and not r.failing]


def summary_text(as_of: str, sites: list[UnitRow], accounts: list[UnitRow] | None, incomplete: int) -> str:
    total = sites[-1]
    media = f"和{accounts[-1].checked}家政务新媒体" if accounts and accounts[-1].checked else ""
    text = (f"截至{cn_date(as_of)}（监测时间点），按照{METHOD}文件确定的检查指标对{total.checked}家政府网站{media}进行检查。"
            f"本次检查政府网站总体合格率为{order.pass_rate(total.failing, total.checked)}")
    text += _full_clause(full_units(sites), "政府网站检查合格率达100%") + "。"
    if incomplete:
        text += f"另有{incomplete}家政府网站未能完整检查，未计入合格率。"
    if media:
        t = accounts[-1]
        text += f"政务新媒体抽查的总体合格率为{order.pass_rate(t.failing, t.checked)}"
        text += _full_clause(full_units(accounts), "政务新媒体抽查合格率为100%") + "。"
    return text


def _full_clause(units: list[str], what: str) -> str:
    if not units:
        return ""
    provincial = [u for u in units if u == order.PROVINCIAL_LABEL_TABLE]
    cities = [u for u in units if u != order.PROVINCIAL_LABEL_TABLE]
    parts = []
    if provincial:
        parts.append(provincial[0])
    if cities:
        parts.append(f"{'、'.join(cities)}等{len(cities)}个市州" if len(cities) > 1 else cities[0])
    return f"，其中，{'和'.join(parts)}{what}"


def build_report(db: sqlite_utils.Database | str | Path, run_id: str | None = None,
                 newmedia_run: str | None = None) -> Report:
    """The whole report of one website run (default: the latest), with new media from `newmedia_run`
    (default: the accounts of the same run, else the latest newmedia run with the same as_of)."""
    base_dir = Path(db).parent if isinstance(db, (str, Path)) else Path(db.conn.execute(
        "pragma database_list").fetchone()[2] or ".").parent
    if not isinstance(db, sqlite_utils.Database):
        db = sqlite_utils.Database(db)
    run_id = run_id or default_run(db)
    run = next(iter(db.query("select * from runs where run_id = ?", [run_id])), None) if run_id else None
    if run is None:
        raise KeyError(f"run {run_id!r} is not in the database")
    sites = list(db.query("select * from sites where run_id = ? order by site_code", [run_id]))
    findings = reviewed_findings(list(db.query("select * from findings where run_id = ? order by site_code, indicator",
                                              [run_id])))
    by_site: dict[str, list[dict]] = {}
    for f in findings:
        by_site.setdefault(f["site_code"], []).append(f)
    regions = order.unit_regions((s["unit"], s["site_code"]) for s in sites)

    groups: dict[str, list[int]] = {}
    failing, incomplete, review, undecided = [], [], [], []
    for s in sites:
        for u in json.loads(s.get("undecided") or "[]"):
            undecided.append(ReviewRow(s["site_code"], s["name"] or "", s["unit"] or "", u["indicator"],
                                       phrase_or_code(u["indicator"]), u["reason"], u.get("evidence_url") or ""))
        g = groups.setdefault(s["unit"] or "", [0, 0, 0])
        g[0] += 1
        if s["passed"] is None:
            incomplete.append(Apart(s["site_code"], s["name"] or "", s["unit"] or "", s["status"] or "",
                                    s["status_reason"] or "未完成判定"))
            continue
        g[1] += 1
        if not s["passed"]:
            g[2] += 1
            failing.append(s)
        for f in by_site.get(s["site_code"], []):
            if not f["veto"] and not f.get("review"):  # content-safety findings go to 需人工核实
                review.append(ReviewRow(s["site_code"], s["name"] or "", s["unit"] or "", f["indicator"],
                                        phrase_or_code(f["indicator"]), f["detail"] or "", f["evidence_url"] or ""))
    annex1 = unit_rows({u: tuple(g) for u, g in groups.items()}, regions)

    failing.sort(key=lambda s: (order.unit_sort_key(s["unit"] or "", regions), s["site_code"]))
    annex2, evidence = [], []
    folder = evidence_folder(base_dir, _run_setting(run, "GOVCRAWL_EVIDENCE_DIR"))
    for number, s in enumerate(failing, 1):
        codes = order.ordered_problems(f["indicator"] for f in by_site.get(s["site_code"], []) if f["veto"])
        annex2.append(ProblemRow(number, order.list_label(s["unit"] or ""), s["name"] or "", problems_text(codes),
                                 s["site_code"], codes, s["site_code"]))
        evidence.append(site_evidence(db, run_id, s, by_site.get(s["site_code"], []), base_dir, folder))
    review.sort(key=lambda r: (order.unit_sort_key(r.unit, regions), r.site_code, order.problem_rank(r.indicator)))

    media = newmedia_section(db, run_id, run["as_of"], newmedia_run, regions)
    return mask_report(Report(
        run_id=run_id, as_of=run["as_of"],
        summary=summary_text(run["as_of"], annex1, media.annex3 if media.run_id else None, len(incomplete)),
        annex1=annex1, annex2=annex2, annex3=media.annex3, annex4=media.annex4, newmedia_run=media.run_id,
        run_status=run.get("status") or "finished", history=build_history(db, run, regions),
        newmedia_note=media.note, incomplete=incomplete, unchecked_accounts=media.unchecked, gone_accounts=media.gone,
        review=review, undecided=undecided,
        evidence=evidence, verify=verification_rows(findings, {s["site_code"]: s for s in sites})))


def _run_setting(run: dict, name: str):
    try:
        return json.loads(run.get("settings") or "{}").get(name)
    except (ValueError, AttributeError):
        return None
