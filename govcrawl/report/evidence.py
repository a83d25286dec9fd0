"""The evidence page of one failing site: what a unit needs to see to accept (or dispute) a finding."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from govcrawl.report import order
from govcrawl.report.table import Table
from govcrawl.rules.facts import GUIDE_CATEGORIES, GUIDE_CATEGORY_NAMES
from govcrawl.rules.wording import phrase_or_code
from govcrawl.sitefacts import load_site_facts

CATEGORY_NAMES = {"news": "动态要闻", "notice": "通知公告/政策文件", "periodic": "其他应更新", "reference": "无需定期更新"}
GUIDE_HEADERS = [GUIDE_CATEGORY_NAMES[c] for c in GUIDE_CATEGORIES]


@dataclass
class FindingView:
    indicator: str
    problem: str
    detail: str
    evidence_url: str
    veto: bool


@dataclass
class ColumnView:
    name: str
    url: str
    category: str
    newest_date: str
    entries: int | None
    stale: bool
    cadence_days: float | None
    periods_overdue: int | None
    blank_marker: str


@dataclass
class LetterView:
    title: str
    url: str
    channel: str
    asked_on: str
    answered_on: str
    status: str


@dataclass
class GuideView:
    title: str
    url: str
    present: list[bool]      # one per GUIDE_HEADERS
    missing: int


@dataclass
class Screenshot:
    path: str                # as stored in findings.evidence, relative to the database's folder
    file: str | None         # absolute path when the file exists inside the evidence folder
    outside: bool = False    # the path leads out of the evidence folder: never read, linked or embedded

    @property
    def problem(self) -> str:
        """'' when the file can be shown, else why not (printed beside the path)."""
        if self.outside:
            return "不在证据目录内，未引用"
        return "" if self.file else "缺失"


@dataclass
class SiteEvidence:
    site_code: str
    name: str
    unit: str
    registered_url: str
    final_url: str
    findings: list[FindingView]
    columns: list[ColumnView] = field(default_factory=list)
    overdue_letters: list[LetterView] = field(default_factory=list)
    guides: list[GuideView] = field(default_factory=list)
    redirect_chain: list[dict] = field(default_factory=list)
    screenshots: list[Screenshot] = field(default_factory=list)


def _evidence(row: dict) -> dict:
    try:
        value = json.loads(row.get("evidence") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def evidence_folder(base_dir: Path, setting: str | None) -> Path:
    """The run's GOVCRAWL_EVIDENCE_DIR (as pipelines/evidence.py resolves it): relative to the database's folder."""
    root = Path(setting or "evidence")
    return (root if root.is_absolute() else base_dir / root).resolve()


def screenshot(base_dir: Path, folder: Path, path: str) -> Screenshot:
    """A stored screenshot path, checked: only a file inside the evidence folder is ever referenced."""
    file = (base_dir / path).resolve()
    if not file.is_relative_to(folder):
        return Screenshot(path, None, outside=True)
    return Screenshot(path, str(file) if file.is_file() else None)


def site_evidence(db, run_id: str, site: dict, findings: list[dict], base_dir: Path,
                  folder: Path | None = None) -> SiteEvidence:
    """Evidence of one site from its stored facts and the evidence JSON of its findings; screenshots only from
    `folder` (the run's evidence folder, default base_dir/evidence)."""
    folder = folder or evidence_folder(base_dir, None)
    facts = load_site_facts(db, run_id, site["site_code"])
    stale = {r["url"] for r in db.query("select url from columns where run_id = ? and site_code = ? and stale = 1",
                                        [run_id, site["site_code"]])}
    views = sorted(findings, key=lambda f: (not f["veto"], order.problem_rank(f["indicator"])))
    out = SiteEvidence(
        site_code=site["site_code"], name=site["name"] or "", unit=site["unit"] or "",
        registered_url=site["registered_url"] or "", final_url=site["final_url"] or "",
        findings=[FindingView(f["indicator"], phrase_or_code(f["indicator"]), f["detail"] or "", f["evidence_url"] or "",
                              bool(f["veto"])) for f in views],
        redirect_chain=list(facts.redirect_chain or []),
    )
    for c in facts.columns:
        if c.role not in ("column", "homepage"):
            continue
        out.columns.append(ColumnView(
            name=("首页" if c.role == "homepage" else c.name), url=c.url,
            category=CATEGORY_NAMES.get(c.category, c.category or ""),
            newest_date=c.newest_date.isoformat() if c.newest_date else "", entries=c.entries,
            stale=c.url in stale, cadence_days=c.cadence_days, periods_overdue=c.periods_overdue,
            blank_marker=c.blank_marker or ""))
    # homepage first, then stale columns, oldest first: the rows a reader checks
    out.columns.sort(key=lambda c: (c.name != "首页", not c.stale, c.newest_date or "0", c.name))
    for f in findings:
        ev = _evidence(f)
        if f["indicator"] == "letters_unanswered":
            out.overdue_letters = [LetterView(x.get("title") or "", x.get("url") or "", x.get("channel") or "",
                                              x.get("asked_on") or "", x.get("answered_on") or "",
                                              _letter_status(x)) for x in ev.get("failing", [])]
        for path in ev.get("screenshots") or []:
            if isinstance(path, str) and path not in {s.path for s in out.screenshots}:
                out.screenshots.append(screenshot(base_dir, folder, path))
    for g in facts.guides:
        missing = set(g.missing)
        out.guides.append(GuideView(g.title, g.url, [c not in missing for c in GUIDE_CATEGORIES], len(missing)))
    return out


def _letter_status(letter: dict) -> str:
    if letter.get("answered_on"):
        return "逾期答复"
    return {"pending": "至今未答复", "answered": "已答复（无日期）"}.get(letter.get("status") or "", "未见答复")


def cadence_text(c: ColumnView) -> str:
    """'约每15天更新，已逾期2个周期' — the column's own rhythm, shown beside its newest date."""
    if not c.cadence_days:
        return ""
    text = f"约每{c.cadence_days:g}天更新"
    return text + (f"，已逾期{c.periods_overdue}个周期" if c.periods_overdue else "")


def evidence_tables(ev: SiteEvidence) -> list[Table]:
    """The evidence of one site as printable tables (screenshots are rendered by each writer)."""
    tables = [Table("findings", "存在的问题", ["问题", "详情", "证据页面"],
                    [[("" if f.veto else "（复核）") + f.problem, f.detail, f.evidence_url] for f in ev.findings],
                    url_columns=(2,))]
    if ev.redirect_chain:
        tables.append(Table("redirects", "首页跳转链", ["步骤", "地址", "状态", "方式"],
                            [[str(n), str(r.get("url") or ""), str(r.get("status") or ""), str(r.get("kind") or "")]
                             for n, r in enumerate(ev.redirect_chain, 1)], url_columns=(1,)))
    if ev.columns:
        tables.append(Table("columns", "栏目及最新信息日期", ["栏目", "类别", "最新信息日期", "条目数", "更新规律", "判定", "地址"],
                            [[c.name, c.category, c.newest_date or "无日期", "" if c.entries is None else str(c.entries),
                              cadence_text(c), _column_verdict(c), c.url] for c in ev.columns], url_columns=(6,)))
    if ev.overdue_letters:
        tables.append(Table("letters", "超过三个月未回应的信件", ["信件", "渠道", "来信日期", "答复日期", "情况", "地址"],
                            [[x.title, x.channel, x.asked_on, x.answered_on or "—", x.status, x.url]
                             for x in ev.overdue_letters], url_columns=(5,)))
    if ev.guides:
        tables.append(Table("guides", "办事指南要素", ["指南", *GUIDE_HEADERS, "缺失类数", "地址"],
                            [[g.title, *("有" if p else "缺" for p in g.present), str(g.missing), g.url]
                             for g in ev.guides], url_columns=(len(GUIDE_HEADERS) + 2,)))
    return tables


def _column_verdict(c: ColumnView) -> str:
    if c.stale:
        return "超期未更新"
    if c.blank_marker:
        return f"空白（{c.blank_marker}）"
    return ""
