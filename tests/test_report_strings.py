"""Every output survives every string (issue 14 point 3): property tests over every writer — XLSX, DOCX, HTML,
Markdown, JSON, the rectification notices and the Datasette metadata — with control characters, lone surrogates,
right-to-left marks and overrides, formula-like text and a 1 MB title. None may crash, and each shows the string
as it was, less only what report/text.py removes."""
import json
from html import escape

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govcrawl.report import render_report, write_report
from govcrawl.report.browse import metadata
from govcrawl.report.evidence import (ColumnView, FindingView, GuideView, LetterView, Screenshot, SiteEvidence)
from govcrawl.report.markdown import cell
from govcrawl.report.model import Apart, ProblemRow, Report, ReviewRow, UnitRow
from govcrawl.report.notices import write_notices
from govcrawl.report.text import clean

NASTY = ["\x01\x08", "a\x00b", "\ud800lone", "tail\udfff", "\u202eevil\u202c", "\u200f\u05e9\u05dc\u05d5\u05dd",
         "=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "<script>alert(1)</script>", "{ PAGE }",
         "| pipe | ]](x)", "\x85\x9f", "\ufffe\uffff", "line\nbreak\ttab", ""]
ANY_TEXT = st.one_of(st.sampled_from(NASTY), st.text(st.characters(blacklist_categories=()), max_size=40))


def report_with(name: str, other: str) -> Report:
    """A report whose every crawled field holds `name` or `other`."""
    unit_rows = [UnitRow("1", "省直部门", 2, 2, 1, "50.00%"), UnitRow("合计", "", 2, 2, 1, "50.00%")]
    problem = ProblemRow(1, "省直", name, other, "4300000001", ["columns_not_updated"], "4300000001")
    evidence = SiteEvidence(
        "4300000001", name, other, f"http://x.gov.cn/{other}", other,
        [FindingView("columns_not_updated", "栏目不更新", other, f"http://x.gov.cn/{name}", True)],
        [ColumnView(name, "http://x.gov.cn/c/", other, "2019-01-01", 3, True, 7.0, 2, other)],
        [LetterView(name, "http://x.gov.cn/l/1", other, "2018-01-01", "", other)],
        [GuideView(name, "http://x.gov.cn/g/1", [True, False, False, False, False], 4)],
        [{"url": other, "status": 302, "kind": name}],
        [Screenshot(f"evidence/{other}.png", None), Screenshot("../../etc/hostname", None, outside=True)])
    return Report(
        run_id=other, as_of="2019-06-10", summary=f"总体情况{name}", annex1=unit_rows, annex2=[problem],
        annex3=unit_rows, annex4=[ProblemRow(1, "省直", name, other, "微信", ["account_not_updated"], other)],
        newmedia_run=other, newmedia_note=other, incomplete=[Apart("4300000002", name, other, "incomplete", other)],
        unchecked_accounts=[Apart(other, name, other, "unchecked", other)],
        review=[ReviewRow("4300000001", name, other, "x", name, other, other)], evidence=[evidence],
        run_status=other or "finished")


def check_every_writer(tmp_path, name: str, other: str) -> None:
    shown = clean(name)
    # JSON: the string itself, cleaned
    data = json.loads(render_report(report_with(name, other), "json"))
    assert data["annex2"][0]["name"] == shown and data["evidence"][0]["name"] == shown
    # HTML and Markdown: escaped, never raw markup
    html = render_report(report_with(name, other), "html")
    assert escape(shown, quote=True) in html
    md = render_report(report_with(name, other), "md")
    assert cell(shown) in md
    # XLSX: loads again; the name is a string cell holding exactly the shown text, never a formula
    write_report(report_with(name, other), "xlsx", tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["附件2"]
    [row] = [r for r in ws.iter_rows(min_row=3, max_row=3)]
    if shown and len(shown) <= 32_000:
        assert row[2].data_type == "s" and row[2].value == shown
    # DOCX: opens; the name is text in 附件2's table
    write_report(report_with(name, other), "docx", tmp_path / "r.docx")
    document = docx.Document(tmp_path / "r.docx")
    assert any(c.text == shown for t in document.tables for r in t.rows for c in r.cells)
    # the rectification notices, both formats
    for fmt in ("docx", "html"):
        [path] = write_notices(report_with(name, other), fmt, tmp_path / fmt)
        if fmt == "docx":
            docx.Document(path)
        else:
            assert escape(shown, quote=True) in path.read_text(encoding="utf-8")
    # Datasette metadata (the database's name is the only free text in it)
    json.dumps(metadata(name, ["runs", "sites", "findings", "accounts"]), ensure_ascii=False).encode("utf-8", "replace")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=ANY_TEXT, other=ANY_TEXT)
@example(name="\x01\x08title", other="\ud800")
@example(name="\u202e\u200fمرحبا", other="=1+1")
def test_every_writer_takes_any_string(tmp_path, name, other):
    check_every_writer(tmp_path, name, other)


def test_a_one_megabyte_title(tmp_path):
    title = ("湖南省人民政府" * 150_000)[:1_000_000]
    check_every_writer(tmp_path, title, "\x01" + title[:1000])
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["附件2"]
    assert ws.cell(row=3, column=3).value.endswith("…（已截断）")    # Excel's cell limit, said in the cell


@pytest.mark.parametrize("text, shown", [("\x01\x08标题", "标题"), ("a\ud800b", "ab"), ("\u202eabc\u202c", "abc"),
                                         ("\u200f标题", "\u200f标题"), ("x\ty\nz", "x\ty\nz")])
def test_clean_removes_only_what_cannot_be_shown(text, shown):
    assert clean(text) == shown


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    write_report(report_with("=1+1", "@SUM(A1)"), "xlsx", tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["附件2"]
    name, problems = ws.cell(row=3, column=3), ws.cell(row=3, column=4)
    assert (name.value, name.data_type, name.quotePrefix) == ("=1+1", "s", True)
    assert (problems.value, problems.data_type, problems.quotePrefix) == ("@SUM(A1)", "s", True)
