"""Rectification notices (整改通知): one document per unit (the registry's 市州/部门) with failing sites or accounts.

Each names every failing site and account of the unit with its problems in the notice's words (附件2/附件4), the
evidence behind each finding (the columns with their newest dates, the overdue letters, the guide element grid,
the redirect chain, the screenshots) and a blank 整改情况 section for the unit to fill in. A notice is a list of
blocks rendered as DOCX (the 公文 layout of report/docx.py) or as self-contained HTML.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from govcrawl.report.evidence import SiteEvidence, evidence_tables
from govcrawl.report.model import METHOD, Report, cn_date
from govcrawl.report.table import Table

FILL_IN = "（由被检查单位填写）"
RECTIFY_HEADERS = ["网站/账号", "问题", "整改措施", "完成时间", "责任人"]


@dataclass
class Block:
    kind: str            # title | heading | para | subheading | table | shot
    text: str = ""
    table: Table | None = None
    path: str | None = None   # a screenshot file inside the evidence folder (kind shot)


@dataclass
class Notice:
    unit: str
    blocks: list[Block]
    findings: int        # how many findings it names (sites' veto findings + accounts' problems)


def _site_blocks(n: int, ev: SiteEvidence, problems: str) -> list[Block]:
    blocks = [Block("subheading", f"（{n}）{ev.name}（网站标识码 {ev.site_code}）"),
              Block("para", f"存在的突出问题：{problems}。"),
              Block("para", f"填报首页地址：{ev.registered_url}；实际首页地址：{ev.final_url or '—'}。")]
    blocks += [Block("table", table=t) for t in evidence_tables(ev)]
    for shot in ev.screenshots:
        blocks.append(Block("shot", f"截图：{shot.path}" + (f"（{shot.problem}）" if shot.problem else ""),
                            path=shot.file))
    return blocks


def build_notices(report: Report) -> list[Notice]:
    evidence = {ev.site_code: ev for ev in report.evidence}
    units: dict[str, tuple[list, list]] = {}
    for row in report.annex2:
        units.setdefault(row.unit, ([], []))[0].append(row)
    for row in report.annex4:
        units.setdefault(row.unit, ([], []))[1].append(row)
    notices = []
    for unit, (sites, accounts) in units.items():
        blocks = [Block("title", f"关于{unit}政府网站和政务新媒体存在突出问题的整改通知"), Block("para", f"{unit}：", ),
                  Block("para", f"按照{METHOD}文件确定的检查指标，截至{cn_date(report.as_of)}（监测时间点，检查批次 "
                                f"{report.run_id}），检查发现你单位（地区）{len(sites)}家政府网站、{len(accounts)}个政务"
                                "新媒体存在突出问题。请逐项核实、整改，并将整改情况按本通知第三部分填写后书面报送。")]
        count = 0
        if sites:
            blocks.append(Block("heading", "一、存在突出问题的政府网站"))
            for n, row in enumerate(sites, 1):
                ev = evidence.get(row.ident)
                if ev is None:
                    blocks += [Block("subheading", f"（{n}）{row.name}（网站标识码 {row.code}）"),
                               Block("para", f"存在的突出问题：{row.problems}。")]
                else:
                    blocks += _site_blocks(n, ev, row.problems)
                count += len(row.codes)
        if accounts:
            blocks.append(Block("heading", f"{'二' if sites else '一'}、存在突出问题的政务新媒体"))
            blocks.append(Block("table", table=Table(
                "accounts", "", ["序号", "新媒体账号名称", "账号平台", "账号", "存在的突出问题"],
                [[str(n), r.name, r.code, r.ident, r.problems] for n, r in enumerate(accounts, 1)])))
            count += sum(len(r.codes) for r in accounts)
        rows = [[r.name, p, "", "", ""] for r in sites for p in r.problems.split("；")]
        rows += [[r.name, r.problems, "", "", ""] for r in accounts]
        blocks += [Block("heading", f"{'三' if sites and accounts else '二'}、整改情况{FILL_IN}"),
                   Block("table", table=Table("rectify", "", RECTIFY_HEADERS, rows)),
                   Block("para", "整改情况说明："), Block("para", ""), Block("para", ""),
                   Block("para", "填报单位（盖章）：                    填报日期：")]
        notices.append(Notice(unit, blocks, count))
    return notices


def file_name(unit: str, fmt: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", unit).strip("._") or "未注明单位"
    return f"整改通知-{safe[:80]}.{fmt}"


def write_notices(report: Report, fmt: str, folder: Path) -> list[Path]:
    from govcrawl.report.text import cleaned

    folder.mkdir(parents=True, exist_ok=True)
    render = {"docx": _write_docx, "html": _write_html}[fmt]
    paths = []
    for notice in build_notices(cleaned(report)):
        path = folder / file_name(notice.unit, fmt)
        if path in paths:   # two units whose names differ only in characters a file name cannot hold
            path = path.with_stem(f"{path.stem}-{len(paths) + 1}")
        render(notice, path)
        paths.append(path)
    return paths


def _write_docx(notice: Notice, path: Path) -> None:
    from govcrawl.report import docx as d

    doc = d.new_document()
    for b in notice.blocks:
        if b.kind == "title":
            d.paragraph(doc, b.text, "公文标题", indent=False)
        elif b.kind == "heading":
            d.paragraph(doc, b.text, "公文一级标题", indent=False)
        elif b.kind == "subheading":
            d.paragraph(doc, b.text, "附件标注", indent=False)
        elif b.kind == "table":
            if b.table.title:
                d.paragraph(doc, b.table.title, "表格文字", indent=False).runs[0].bold = True
            d.add_table(doc, b.table)
        else:   # para, shot: the screenshot's path as text (a reader opens it beside the notice)
            d.paragraph(doc, b.text, indent=b.kind == "para" and bool(b.text) and not b.text.endswith("："))
    doc.save(path)


def _write_html(notice: Notice, path: Path) -> None:
    from govcrawl.report.html import CSS, e, table

    out = []
    for b in notice.blocks:
        if b.kind == "title":
            out.append(f"<h1>{e(b.text)}</h1>")
        elif b.kind == "heading":
            out.append(f"<h2>{e(b.text)}</h2>")
        elif b.kind == "subheading":
            out.append(f"<h3>{e(b.text)}</h3>")
        elif b.kind == "table":
            out.append(table(b.table, level=4))
        elif b.kind == "shot" and b.path:
            href = Path(os.path.relpath(b.path, path.parent)).as_posix()
            out.append(f'<p><a href="{e(href)}">{e(b.text)}</a></p>')
        else:
            out.append(f"<p>{e(b.text)}</p>")
    path.write_text("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                    f"<title>{e(notice.blocks[0].text)}</title><style>{CSS}</style></head><body>\n"
                    + "\n".join(out) + "\n</body></html>\n", encoding="utf-8")
