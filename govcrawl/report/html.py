"""The report as one self-contained HTML file: inline CSS (with a print stylesheet), no external resources,
screenshots embedded as data: URIs, every stored string escaped."""
from __future__ import annotations

import base64
import mimetypes
import re
from html import escape
from pathlib import Path

from govcrawl.report.evidence import SiteEvidence, evidence_tables
from govcrawl.report.model import Report
from govcrawl.report.table import Table

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:1100px;
 color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em;border-bottom:2px solid #b22;padding-bottom:.3em}
h2{font-size:1.3em;margin-top:2em;color:#b22}
h3{font-size:1.1em;margin-top:1.5em;border-left:4px solid #b22;padding-left:.5em}
h4{font-size:1em;margin:1em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #999;padding:.25em .45em;vertical-align:top;text-align:left;word-break:break-all}
th{background:#eee}
td.num{text-align:right;white-space:nowrap}
td.code{white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#f7f7f7}
tr.stale td{background:#fde8e8}
.note{color:#555;font-size:.9em}
.warning{color:#b22;font-weight:bold}
figure.chart{margin:1em 0;page-break-inside:avoid}
figure.chart svg{max-width:100%;height:auto}
.empty{color:#777;font-style:italic}
.meta{color:#555}
img.shot{max-width:100%;border:1px solid #ccc;margin:.5em 0}
nav ul{columns:2}
@media print{
 body{margin:0;max-width:none;font-size:10.5pt;color:#000}
 nav{display:none}
 a{color:#000;text-decoration:none}
 h2{page-break-before:always;color:#000}
 h2.first{page-break-before:avoid}
 section.site{page-break-inside:avoid}
 table{page-break-inside:auto}
 tr{page-break-inside:avoid}
 thead{display:table-header-group}
 th{background:#ddd !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 @page{size:A4 landscape;margin:15mm}
}
"""


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def link(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return f'<a href="{e(url)}">{e(url)}</a>'
    return e(url)


IDENTIFIER = re.compile(r"\d{10}|bm\d{8}")


def table(t: Table, level: int = 2, cls: str = "", row_classes: list[str] | None = None) -> str:
    out = [f'<h{level}{cls}>{e(t.title)}</h{level}>']
    if not t.rows:
        out.append('<p class="empty">（无）</p>')
    else:
        out.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in t.headers) + "</tr></thead><tbody>")
        for n, row in enumerate(t.rows):
            klass = (row_classes or [""] * len(t.rows))[n]
            cells = []
            for i, value in enumerate(row):
                text = link(value) if i in t.url_columns else e(value)
                plain = str(value).replace(".", "").replace("%", "")
                if plain.isdigit() and len(plain) < 9:
                    klass_td = ' class="num"'
                elif IDENTIFIER.fullmatch(str(value)):  # 标识码 and account ids never wrap
                    klass_td = ' class="code"'
                else:
                    klass_td = ""
                cells.append(f"<td{klass_td}>{text}</td>")
            attr = f' class="{klass}"' if klass else ""
            out.append(f"<tr{attr}>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    if t.note:
        out.append(f'<p class="note">注：{e(t.note)}</p>')
    return "\n".join(out)


def _image(path: str | None) -> str | None:
    if not path:
        return None
    mime = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode('ascii')}"


def site_section(n: int, ev: SiteEvidence) -> str:
    out = [f'<section class="site" id="site-{e(ev.site_code)}">',
           f"<h3>{n}. {e(ev.name)}（{e(ev.site_code)}，{e(ev.unit)}）</h3>",
           f'<p class="meta">填报地址：{link(ev.registered_url)}<br>实际首页：{link(ev.final_url or "—")}</p>']
    for t in evidence_tables(ev):
        rows = ["stale" if t.key == "columns" and r[5] == "超期未更新" else "" for r in t.rows]
        out.append(table(t, level=4, row_classes=rows))
    for shot in ev.screenshots:
        src = _image(shot.file)
        out.append(f'<figure><img class="shot" alt="{e(shot.path)}" src="{e(src)}"><figcaption>{e(shot.path)}'
                   f"</figcaption></figure>" if src else f'<p class="note">截图{e(shot.problem)}：{e(shot.path)}</p>')
    out.append("</section>")
    return "\n".join(out)


def render(report: Report) -> str:
    from govcrawl.report import charts
    from govcrawl.report.diff import diff_table
    from govcrawl.report.history import trend_chart

    annexes = report.tables()
    total_rows = lambda t: ["total" if r and r[0] == "合计" else "" for r in t.rows]  # noqa: E731
    body = ["<h1>政府网站与政务新媒体检查情况</h1>",
            f'<p class="meta">检查批次 {e(report.run_id)}，监测时间点 {e(report.as_of)}</p>',
            "<nav><ul>" + "".join(f'<li><a href="#{t.key}">{e(t.title)}</a></li>' for t in annexes)
            + ('<li><a href="#evidence">证据</a></li>' if report.evidence else "") + "</ul></nav>",
            '<h2 class="first">一、总体情况</h2>', f"<p>{e(report.summary)}</p>"]
    if report.status_note:
        body.insert(2, f'<p class="warning">{e(report.status_note)}</p>')
    trend = trend_chart(report)
    if trend:
        body.append(f'<figure class="chart">{trend}</figure>')
    charts_of = {"annex1": (report.annex1, "各单位政府网站检查合格率"), "annex3": (report.annex3, "各单位政务新媒体抽查合格率")}
    for t in annexes + report.apart_tables() + ([diff_table(report.diff)] if report.diff is not None else []):
        body.append(f'<div id="{e(t.key)}">' + table(t, row_classes=total_rows(t)) + "</div>")
        rows, title = charts_of.get(t.key, ([], ""))
        if rows:
            body.append(f'<figure class="chart">{charts.bar_svg(charts.pass_rate_bars(rows), title, t.key)}</figure>')
    if report.evidence:
        body.append('<h2 id="evidence">证据：存在突出问题的网站</h2>')
        body += [site_section(n, ev) for n, ev in enumerate(report.evidence, 1)]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>政府网站检查情况 {e(report.run_id)}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write(report: Report, path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(report))
