"""附件3 and 附件4: the new-media accounts (table accounts) and their findings (site_code = account_id)."""
from __future__ import annotations

from dataclasses import dataclass, field

from govcrawl.report import order
from govcrawl.report.rows import Apart, ProblemRow, unit_rows
from govcrawl.rules.wording import problems_text
from govcrawl.runstate import latest_run

NO_DATA_NOTE = "本次没有政务新媒体检查数据（数据库中无该检查批次的 accounts 记录），附件3、附件4 为空。"


@dataclass
class NewMediaSection:
    run_id: str | None
    annex3: list = field(default_factory=list)       # UnitRow, the last one 合计
    annex4: list = field(default_factory=list)       # ProblemRow, code = platform name
    unchecked: list = field(default_factory=list)    # Apart
    note: str = ""
    gone: list = field(default_factory=list)         # Apart: accounts the platform says no longer exist


def _has_accounts(db, run_id: str | None) -> bool:
    return bool(run_id) and db["accounts"].exists() and db.execute(
        "select 1 from accounts where run_id = ? limit 1", [run_id]).fetchone() is not None


def newmedia_run_for(db, site_run: str, as_of: str, requested: str | None) -> str | None:
    """--newmedia-run, else the website run itself when it holds accounts, else the latest finished newmedia run
    of the same T, else the latest finished newmedia run."""
    if requested:
        return requested
    if _has_accounts(db, site_run):
        return site_run
    return latest_run(db, spider="newmedia", as_of=as_of) or latest_run(db, spider="newmedia")


def newmedia_section(db, site_run: str, as_of: str, requested: str | None, regions: dict[str, str]) -> NewMediaSection:
    run_id = newmedia_run_for(db, site_run, as_of, requested)
    if not _has_accounts(db, run_id):
        note = NO_DATA_NOTE if not requested else f"检查批次 {requested} 中没有政务新媒体记录，附件3、附件4 为空。"
        return NewMediaSection(None, note=note)
    accounts = list(db.query("select * from accounts where run_id = ? order by account_id", [run_id]))
    codes: dict[str, list[str]] = {}
    for f in db.query("select site_code, indicator from findings where run_id = ? and veto = 1", [run_id]):
        codes.setdefault(f["site_code"], []).append(f["indicator"])

    groups: dict[str, list[int]] = {}
    failing, unchecked, gone = [], [], []
    for a in accounts:
        g = groups.setdefault(a["unit"] or "", [0, 0, 0])
        g[0] += 1
        if a["status"] != "checked":
            # a deleted or banned account is news for the inspector: its own list, the platform's answer as evidence
            (gone if a["status"] == "gone" else unchecked).append(Apart(a["account_id"], a["name"] or "", a["unit"] or "", a["status"] or "",
                                   a["reason"] or ""))
            continue
        g[1] += 1
        mine = [c for c in codes.get(a["account_id"], []) if c.startswith("account_")]
        # accounts.passed is the verdict when the new-media pipeline stored one; else the findings are
        if (not a["passed"]) if a.get("passed") is not None else bool(mine):
            g[2] += 1
            failing.append((a, order.ordered_problems(mine)))
    failing.sort(key=lambda p: (order.unit_sort_key(p[0]["unit"] or "", regions), p[0]["name"] or "",
                                p[0]["account_id"]))
    annex4 = [ProblemRow(n, order.list_label(a["unit"] or ""), a["name"] or "",
                         problems_text(cs, account=True, platform=order.platform_key(a["platform"])), order.platform_name(a["platform"]),
                         cs, a["account_id"])
              for n, (a, cs) in enumerate(failing, 1)]
    return NewMediaSection(run_id, unit_rows({u: tuple(g) for u, g in groups.items()}, regions), annex4, unchecked,
                           "" if run_id == site_run else source_note(db, run_id, as_of), gone)


def source_note(db, run_id: str, as_of: str) -> str:
    run = db["runs"].get(run_id)
    other_t = f"（监测时间点 {run['as_of']}）" if run["as_of"] != as_of else ""
    unfinished = f"，该批次未正常结束（{run['status']}）" if run.get("status", "finished") != "finished" else ""
    return f"政务新媒体数据来自检查批次 {run_id}{other_t}{unfinished}。"
