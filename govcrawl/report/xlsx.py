"""The report as an Excel workbook (openpyxl): 总体情况, one sheet per 附件, 证据, and the lists apart.

Header rows are bold on grey, frozen and repeated on every printed page; widths follow the content (CJK counted
double) within limits; pages print landscape, fitted to the page width."""
from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from govcrawl.report.evidence import evidence_tables
from govcrawl.report.model import Report
from govcrawl.report.table import Table
from govcrawl.report.text import display_width

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


MAX_CELL = 32_000          # Excel holds 32,767 characters in a cell; longer crawled text is cut, and says so
PERCENT = re.compile(r"[0-9]+(\.[0-9]+)?%")
COUNT = re.compile(r"0|[1-9][0-9]{0,7}")      # ASCII, no leading zero: '0012' or '²' stay text as written


def _cell_value(value, col: int, t: Table):
    """Counts and rates as numbers (so Excel sorts and sums them); everything else as text, never a formula."""
    text = "" if value is None else str(value)
    counts = t.count_columns
    if (col in counts if counts is not None else True) and COUNT.fullmatch(text):
        return int(text)
    if col in t.percent_columns and PERCENT.fullmatch(text):
        return round(float(text[:-1]) / 100, 6)  # 66.67% is 0.6667, not 0.6667000000000001
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…（已截断）"


def put_cell(ws, row: int, col: int, value):
    """Write a cell; a string is always a string cell (openpyxl would make '=…' a formula), and one that Excel
    would read as a formula when edited (= + - @) carries the quote prefix."""
    c = ws.cell(row=row, column=col)
    c.value = value
    if isinstance(value, str):
        c.data_type = "s"
        if value[:1] in "=+-@" and value:
            c.quotePrefix = True
    return c


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
            cell_value = _cell_value(value, col - 1, t)
            c = put_cell(ws, row, col, cell_value)
            c.border, c.alignment = BORDER, WRAP
            if isinstance(cell_value, float):
                c.number_format = "0.00%"
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
        put_cell(ws, row, 1, _cell_value(f"注：{t.note}", -1, t)).alignment = WRAP
        if len(t.headers) > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(t.headers))
    return row + 2 if header_row else row


def _widen(ws, col: int, value) -> None:
    letter = get_column_letter(col)
    width = min(MAX_WIDTH, max(6, display_width(value) + 2))
    if (ws.column_dimensions[letter].width or 0) < width:
        ws.column_dimensions[letter].width = width


def fit_rows(ws) -> None:
    """Row heights for the wrapped text, from the final column widths: a printed sheet shows every line (Excel
    and LibreOffice do not grow a row on their own before printing)."""
    merged = {rng.min_row: rng for rng in ws.merged_cells.ranges}
    for cells in ws.iter_rows():
        lines = 1
        for c in cells:
            if not isinstance(c.value, str) or not c.value:
                continue
            rng = merged.get(c.row) if c.column == 1 else None
            last = rng.max_col if rng is not None else c.column
            width = sum((ws.column_dimensions[get_column_letter(i)].width or 10) for i in range(c.column, last + 1))
            text_lines = sum(max(1, -(-display_width(part) // max(1, int(width) - 1))) for part in c.value.split("\n"))
            lines = max(lines, text_lines)
        if lines > 1:
            ws.row_dimensions[cells[0].row].height = 15 * min(lines, 400)


def _page_setup(ws, header_row: int = 1) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:   # the evidence sheet holds many small tables: no single header row to repeat
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
    put_cell(ws, 4, 1, report.summary).alignment = WRAP
    if report.status_note:
        put_cell(ws, 3, 1, report.status_note).font = Font(bold=True, color="B22222")
    ws.column_dimensions["A"].width = 100
    _page_setup(ws, 0)
    fit_rows(ws)
    tables = report.tables() + report.apart_tables() + ([diff_table(report.diff)] if report.diff is not None else [])
    for t in tables:
        sheet = wb.create_sheet(SHEET_NAMES.get(t.key, t.key)[:31])
        sheet["A1"] = t.title
        sheet["A1"].font = TITLE_FONT
        put_table(sheet, t, 2, title=False)
        _page_setup(sheet, 2)
        fit_rows(sheet)
    ev_sheet = wb.create_sheet("证据")
    row = 1
    for n, ev in enumerate(report.evidence, 1):
        put_cell(ev_sheet, row, 1, f"{n}. {ev.name}（{ev.site_code}，{ev.unit}）").font = TITLE_FONT
        put_cell(ev_sheet, row + 1, 1, f"填报地址 {ev.registered_url}；实际首页 {ev.final_url or '—'}")
        row += 3
        for t in evidence_tables(ev):
            row = put_table(ev_sheet, t, row)
        for shot in ev.screenshots:
            put_cell(ev_sheet, row, 1, f"截图：{shot.path}" + (f"（{shot.problem}）" if shot.problem else ""))
            row += 1
        row += 1
    if not report.evidence:
        ev_sheet["A1"] = "（无存在突出问题的网站）"
    _page_setup(ev_sheet, 0)
    fit_rows(ev_sheet)
    return wb


def write(report: Report, path) -> None:
    build_workbook(report).save(path)
