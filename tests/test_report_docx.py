"""The Word notice (GB/T 9704-2012 layout), the charts against 附件1/附件3, the run history, the per-unit
rectification notices, and the XLSX that sorts, sums and prints: all on the demo websites + demo accounts."""
import re
import sqlite3
import zipfile
import xml.etree.ElementTree as ET

import docx
import openpyxl
import pytest
from docx.shared import Mm, Pt

from govcrawl.cli import main
from govcrawl.report import build_report, write_report
from govcrawl.report.docx import BODY_FONT, HEADING_FONT, TITLE_FONT
from govcrawl.report.notices import build_notices, write_notices
from tests.conftest import ROOT, crawl

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def both_db(demo_db, tmp_path_factory):
    """The demo websites (run demo) and the demo accounts (run nm) in one database, as `make demo` writes it."""
    db = tmp_path_factory.mktemp("both") / "both.db"
    with sqlite3.connect(demo_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    result = crawl(db, "-a", "run=nm", fixtures=ROOT / "fixtures" / "newmedia", spider="newmedia")
    assert result.returncode == 0, result.stderr[-3000:]
    return db


@pytest.fixture(scope="module")
def notice_docx(both_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "notice.docx"
    assert main(["report", "--db", str(both_db), "--format", "docx", "--out", str(out)]) == 0
    return out


def test_the_report_defaults_to_the_latest_website_and_newmedia_runs(both_db):
    report = build_report(both_db)
    assert (report.run_id, report.newmedia_run) == ("demo", "nm")
    assert report.annex3[-1].checked == 141 and report.annex3[-1].failing == 38 and len(report.annex4) == 38


def test_docx_page_margins_and_fonts(notice_docx):
    document = docx.Document(notice_docx)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(getattr(section, m).mm) for m in ("top_margin", "bottom_margin", "left_margin", "right_margin")] == [
        37, 35, 28, 26]
    styles = document.styles
    for style, font, size in (("Normal", BODY_FONT, Pt(16)), ("公文标题", TITLE_FONT, Pt(22)),
                              ("公文一级标题", HEADING_FONT, Pt(16))):
        fonts = styles[style].element.rPr.find(f"{W}rFonts")
        assert fonts.get(f"{W}eastAsia") == font and styles[style].font.size == size, style
    headings = [p.text for p in document.paragraphs if p.style.name == "公文一级标题"]
    assert headings[:2] == ["一、总体情况", "二、检查发现的突出问题"]
    footer = "".join(t.text for t in section.footer.paragraphs[0].runs)
    assert footer.startswith("— ") and footer.endswith(" —")
    assert document.settings.odd_and_even_pages_header_footer


def test_docx_annex_tables_repeat_their_header_row(notice_docx, both_db):
    report = build_report(both_db)
    document = docx.Document(notice_docx)
    by_header = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    for annex in report.tables():
        table = by_header[tuple(annex.headers)]
        header = table.rows[0]._tr.trPr.find(f"{W}tblHeader")
        assert header is not None and header.get(f"{W}val") == "true", annex.key
        assert [[c.text for c in r.cells] for r in table.rows[1:]] == annex.rows
    assert [p.text for p in document.paragraphs if p.style.name == "附件标注"][-4:] == [
        "附件1", "附件2", "附件3", "附件4"]


def test_docx_has_no_field_but_the_page_number_and_carries_the_charts(notice_docx):
    with zipfile.ZipFile(notice_docx) as z:
        body = z.read("word/document.xml").decode("utf-8")
        footers = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer"))
        svgs = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".svg")]
    assert "instrText" not in body and "fldSimple" not in body and "w:hyperlink" not in body
    assert re.findall(r"<w:instrText[^>]*>([^<]*)<", footers) == [" PAGE ", " PAGE "]
    assert body.count("svgBlip") == 2 and {ET.fromstring(s).get("data-chart") for s in svgs} == {"annex1", "annex3"}


def _bars(svg: str) -> dict[str, str]:
    return {b.get("data-unit"): b.get("data-rate") for b in ET.fromstring(svg).iter(f"{SVG}rect")
            if b.get("class") == "bar"}


def test_the_html_charts_draw_annex1_and_annex3(both_db, tmp_path):
    report = build_report(both_db)
    out = tmp_path / "r.html"
    write_report(report, "html", out)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html
    svgs = {m.group(1): m.group(0) for m in re.finditer(r'<svg [^>]*data-chart="(\w+)".*?</svg>', html, re.S)}
    for key, rows in (("annex1", report.annex1), ("annex3", report.annex3)):
        bars = _bars(svgs[key])
        assert list(bars) == [r.unit for r in rows[:-1]], key            # the table's order, 省直部门 first
        for r in rows[:-1]:
            expected = f"{100 * (r.checked - r.failing) / r.checked:.2f}" if r.checked else ""
            assert (f"{float(bars[r.unit]):.2f}" if bars[r.unit] else "") == expected, (key, r.unit)
            assert r.share == f"{100 * r.failing / r.checked:.2f}%"       # and the table itself: two decimals
    widths = {b.get("data-unit"): float(b.get("width")) for b in ET.fromstring(svgs["annex1"]).iter(f"{SVG}rect")
              if b.get("class") == "bar"}
    full = [u for u, r in _bars(svgs["annex1"]).items() if r == "100.0"]
    assert full and all(widths[u] == max(widths.values()) for u in full)


def test_a_second_run_adds_the_trend_chart_and_marks_annex2(both_db, tmp_path):
    """A re-check: run 'demo' copied as an earlier run 'q1' in which one site passed and another failing site of
    now passed, so 附件2 says new / still failing and lists the site fixed since."""
    db = tmp_path / "two.db"
    with sqlite3.connect(both_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    with sqlite3.connect(db) as conn:
        conn.execute("insert into runs (run_id, spider, as_of, started_at, status, registry) select 'q1', spider, "
                     "'2019-03-10', '2000-01-01T00:00:00+00:00', 'finished', registry from runs where run_id = 'demo'")
        for table in ("sites", "findings"):
            cols = [r[1] for r in conn.execute(f"pragma table_info({table})") if r[1] != "run_id"]
            conn.execute(f"insert into {table} (run_id, {', '.join(cols)}) select 'q1', {', '.join(cols)} "
                         f"from {table} where run_id = 'demo'")
        new_site, fixed_site = "4300000017", "4300000025"
        conn.execute("update sites set passed = 1 where run_id = 'q1' and site_code = ?", [new_site])
        conn.execute("delete from findings where run_id = 'q1' and site_code = ?", [new_site])
        conn.execute("update sites set passed = 1 where run_id = 'demo' and site_code = ?", [fixed_site])
        conn.execute("delete from findings where run_id = 'demo' and site_code = ?", [fixed_site])
    report = build_report(db, "demo")
    annex2 = next(t for t in report.tables() if t.key == "annex2")
    assert annex2.headers[-1] == "与上次检查相比"
    marks = {row[4]: row[-1] for row in annex2.rows}
    assert marks.pop(new_site) == "新发现" and set(marks.values()) == {"仍未整改"}
    fixed = next(t for t in report.apart_tables() if t.key == "fixed")
    assert [r[0] for r in fixed.rows] == [fixed_site] and "互动回应不及时" in fixed.rows[0][3]
    out = tmp_path / "two.html"
    write_report(report, "html", out)
    trend = re.search(r'<svg [^>]*data-chart="trend".*?</svg>', out.read_text(encoding="utf-8"), re.S).group(0)
    points = [(p.get("data-unit"), p.get("data-rate")) for p in ET.fromstring(trend).iter(f"{SVG}circle")]
    units = [r.unit for r in report.annex1[:-1]]
    assert [u for u, _ in points[::2]] == units and [u for u, _ in points[1::2]] == units   # a point per unit and run
    bars = _bars(re.search(r'<svg [^>]*data-chart="annex1".*?</svg>', out.read_text(encoding="utf-8"), re.S).group(0))
    assert dict(points[1::2]) == bars                       # the last point of each line is this run's bar


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_one_rectification_notice_per_failing_unit_with_every_finding(both_db, tmp_path, fmt):
    report = build_report(both_db)
    paths = write_notices(report, fmt, tmp_path / fmt)
    units = {r.unit for r in report.annex2} | {r.unit for r in report.annex4}
    assert len(paths) == len(units) == len(build_notices(report))
    for notice, path in zip(build_notices(report), paths):
        text = path.read_text(encoding="utf-8") if fmt == "html" else "\n".join(
            [p.text for p in docx.Document(path).paragraphs]
            + [c.text for t in docx.Document(path).tables for r in t.rows for c in r.cells])
        sites = [r for r in report.annex2 if r.unit == notice.unit]
        accounts = [r for r in report.annex4 if r.unit == notice.unit]
        for row in sites + accounts:
            assert row.name in text and row.ident in text, (path.name, row.name)
            for problem in re.split("[；]", row.problems):
                assert problem in text, (path.name, problem)
        assert "整改情况" in text and "整改措施" in text
        for ev in (e for e in report.evidence if e.site_code in {s.ident for s in sites}):
            for column in ev.columns:
                assert column.newest_date in text or not column.newest_date
            for letter in ev.overdue_letters:
                assert letter.asked_on in text
            for guide in ev.guides:
                assert guide.title in text


def test_per_unit_through_the_command(both_db, tmp_path):
    assert main(["report", "--db", str(both_db), "--per-unit", str(tmp_path / "n"), "--format", "docx"]) == 0
    assert main(["report", "--db", str(both_db), "--per-unit", str(tmp_path / "n"), "--format", "xlsx"]) == 2
    assert sorted(p.name for p in (tmp_path / "n").iterdir())[0].startswith("整改通知-")


def test_xlsx_counts_and_rates_are_numbers_and_sheets_print(both_db, tmp_path):
    report = build_report(both_db)
    out = tmp_path / "r.xlsx"
    write_report(report, "xlsx", out)
    wb = openpyxl.load_workbook(out)
    ws = wb["附件1"]
    for row, expected in zip(ws.iter_rows(min_row=3, max_row=2 + len(report.annex1)), report.annex1):
        run, checked, failing, share = (c.value for c in row[2:6])
        assert (run, checked, failing) == (expected.run, expected.checked, expected.failing)
        assert isinstance(share, (int, float)) and row[5].number_format == "0.00%"   # 0.0 reads back as 0
        assert f"{100 * share:.2f}%" == expected.share
    for name in ("附件1", "附件2", "附件3", "附件4"):
        sheet = wb[name]
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9   # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$2:$2"          # the header row on every printed page
    annex2 = wb["附件2"]
    long_rows = [c for c in annex2["D"][2:] if isinstance(c.value, str) and len(c.value) > 40]
    assert long_rows and all(c.alignment.wrap_text for c in long_rows)
    assert all((annex2.row_dimensions[c.row].height or 15) > 15 for c in long_rows)   # room for every line
