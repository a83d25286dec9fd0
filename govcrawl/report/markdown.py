"""The report as Markdown (GitHub-flavoured tables)."""
from __future__ import annotations

from urllib.parse import quote

from govcrawl.report.evidence import evidence_tables
from govcrawl.report.model import Report
from govcrawl.report.table import Table

_ESCAPES = str.maketrans({"|": "\\|", "<": "\\<", ">": "\\>", "\n": " ", "\r": " ", "*": "\\*",
                          "[": "\\[", "]": "\\]", "`": "\\`"})


def cell(value) -> str:
    """A crawled string made inert inside a Markdown table cell."""
    return str(value if value is not None else "").translate(_ESCAPES)


def table(t: Table, level: int = 2, empty: str = "（无）") -> str:
    out = [f"{'#' * level} {t.title}", ""]
    if t.rows:
        out.append("| " + " | ".join(t.headers) + " |")
        out.append("|" + "|".join("---" for _ in t.headers) + "|")
        out.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in t.rows)
    else:
        out.append(empty)
    if t.note:
        out += ["", f"注：{cell(t.note)}"]
    return "\n".join(out) + "\n"


def render(report: Report) -> str:
    from govcrawl.report.diff import diff_table

    parts = [f"# 政府网站与政务新媒体检查情况\n\n检查批次 `{report.run_id}`，监测时间点 {report.as_of}。\n",
             "## 一、总体情况\n\n" + cell(report.summary) + "\n"]
    parts += [table(t) for t in report.tables()]
    parts += [table(t) for t in report.apart_tables()]
    if report.diff is not None:
        parts.append(table(diff_table(report.diff)))
    if report.evidence:
        parts.append("## 证据：存在突出问题的网站\n")
    for n, ev in enumerate(report.evidence, 1):
        head = [f"### {n}. {cell(ev.name)}（{cell(ev.site_code)}，{cell(ev.unit)}）", "",
                f"- 填报地址：{cell(ev.registered_url)}", f"- 实际首页：{cell(ev.final_url or '—')}", ""]
        parts.append("\n".join(head))
        parts += [table(t, level=4) for t in evidence_tables(ev)]
        if ev.screenshots:
            shots = [f"截图{s.problem}：{cell(s.path)}" if s.outside else
                     f"![{cell(s.path)}]({quote(s.path)})"
                     + ("" if s.file else "（文件缺失）") for s in ev.screenshots]
            parts.append("#### 截图\n\n" + "\n".join(shots) + "\n")
    return "\n".join(parts)


def write(report: Report, path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(report))
