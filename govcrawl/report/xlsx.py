"""The report as an Excel workbook (openpyxl): 总体情况, one sheet per 附件, 证据, and the lists apart.

Header rows are bold on grey, frozen and repeated on every printed page; widths follow the content (CJK counted
double) within limits; pages print landscape, fitted to the page width."""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from govcrawl.report.evidence import evidence_tables
from govcrawl.report.model import Report
from govcrawl.report.table import Table

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
SHEET_NAMES = {"annex1": "附件1", "annex2": "附件2", "annex3": "附件3", "annex4": "附件4",
               "incomplete": "未能完整检查", "undecided": "未能判定的指标", "unchecked_accounts": "未能检查的新媒体",
               "gone_accounts": "已注销的新媒体", "review": "需人工复核", "diff": "复核情况"}
MAX_WIDTH = 60


def display_width(value) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value or ""))


def _cell_value(value):
    """Counts as numbers (so Excel sums them); everything else as text, never as a formula."""
    text = "" if value is None else str(value)
    if text.isdigit() and len(text) < 9:
        return int(text)
    return ("'" + text) if text.startswith("=") else text


def put_table(ws, t: Table, row: int, title: bool = True) -> int:
    """Write `t` at `row`; returns the next free row. Tracks column widths on the sheet."""
    if title:
        ws.cell(row=row, column=1, value=t.title).font = Font(bold=True, size=12)
        row += 1
    header_row = row
    for col, h in enumerate(t.headers, 1):
        c = ws.cell(row=row, column=col, value=h)
        c.font, c.fill, c.border, c.alignment = HEADER_FONT, HEADER_FILL, BORDER, WRAP
        _widen(ws, col, h)
    for values in t.rows:
        row += 1
        for col, value in enumerate(values, 1):
            c = ws.cell(row=row, column=col, value=_cell_value(value))
            c.border, c.alignment = BORDER, WRAP
            if col - 1 in t.url_columns and str(value).startswith(("http://", "https://")):
                c.hyperlink = str(value)
            _widen(ws, col, value)
            if values and values[0] == "合计":
                c.font = HEADER_FONT
    if not t.rows:
        row += 1
        ws.cell(row=row, column=1, value="（无）")
    if t.note:
        row += 1
        ws.cell(row=row, column=1, value=f"注：{t.note}").alignment = Alignment(wrap_text=False)
    return row + 2 if header_row else row


def _widen(ws, col: int, value) -> None:
    letter = get_column_letter(col)
    width = min(MAX_WIDTH, max(6, display_width(value) + 2))
    if (ws.column_dimensions[letter].width or 0) < width:
        ws.column_dimensions[letter].width = width


def _page_setup(ws, header_row: int = 1) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def build_workbook(report: Report) -> Workbook:
    from govcrawl.report.diff import diff_table

    wb = Workbook()
    ws = wb.active
    ws.title = "总体情况"
    ws["A1"] = "政府网站与政务新媒体检查情况"
    ws["A1"].font = TITLE_FONT
    ws["A2"] = f"检查批次 {report.run_id}，监测时间点 {report.as_of}"
    ws["A4"] = report.summary
    ws["A4"].alignment = WRAP
    ws.column_dimensions["A"].width = 100
    ws.row_dimensions[4].height = 15 * (display_width(report.summary) // 95 + 1)
    tables = report.tables() + report.apart_tables() + ([diff_table(report.diff)] if report.diff is not None else [])
    for t in tables:
        sheet = wb.create_sheet(SHEET_NAMES.get(t.key, t.key)[:31])
        sheet["A1"] = t.title
        sheet["A1"].font = TITLE_FONT
        put_table(sheet, t, 2, title=False)
        _page_setup(sheet, 2)
    ev_sheet = wb.create_sheet("证据")
    row = 1
    for n, ev in enumerate(report.evidence, 1):
        c = ev_sheet.cell(row=row, column=1, value=f"{n}. {ev.name}（{ev.site_code}，{ev.unit}）")
        c.font = TITLE_FONT
        ev_sheet.cell(row=row + 1, column=1, value=f"填报地址 {ev.registered_url}；实际首页 {ev.final_url or '—'}")
        row += 3
        for t in evidence_tables(ev):
            row = put_table(ev_sheet, t, row)
        for shot in ev.screenshots:
            ev_sheet.cell(row=row, column=1, value=f"截图：{shot.path}" + ("" if shot.file else "（文件缺失）"))
            row += 1
        row += 1
    if not report.evidence:
        ev_sheet["A1"] = "（无存在突出问题的网站）"
    ev_sheet.page_setup.orientation = "landscape"
    ev_sheet.sheet_properties.pageSetUpPr.fitToPage = True
    ev_sheet.page_setup.fitToWidth, ev_sheet.page_setup.fitToHeight = 1, 0
    return wb


def write(report: Report, path) -> None:
    build_workbook(report).save(path)
