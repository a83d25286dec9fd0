"""The four writers: same content in md / html / xlsx / json; HTML escaping; a real headless-Chromium screenshot."""
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import openpyxl
import pytest

from govcrawl.cli import main
from govcrawl.report import build_report, write_report

CHROMIUM = "/usr/bin/chromium"
EVIL = '<script>alert("x")</script>湖南文化遗产网'
# a 1x1 PNG standing in for a screenshot a colleague's code stores under evidence/
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _copy_db(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


@pytest.fixture(scope="module")
def tampered(demo_db, tmp_path_factory) -> Path:
    """The demo database with a crawled title carrying <script> and a screenshot in a finding's evidence."""
    db = _copy_db(demo_db, tmp_path_factory.mktemp("tampered") / "t.db")
    (db.parent / "evidence").mkdir()
    (db.parent / "evidence" / "wwj.png").write_bytes(PNG)
    with sqlite3.connect(db) as conn:
        conn.execute("update sites set name = ? where site_code = '4300000047'", [EVIL])
        conn.execute("update columns set name = ? where site_code = '4300000047' and stale = 1 "
                     "and url = (select min(url) from columns where site_code = '4300000047' and stale = 1)", [EVIL])
        ev = json.loads(conn.execute("select evidence from findings where site_code = '4300000047' "
                                     "and indicator = 'columns_long_stale'").fetchone()[0])
        ev["screenshots"] = ["evidence/wwj.png", "evidence/missing.png"]
        conn.execute("update findings set evidence = ? where site_code = '4300000047' and indicator = "
                     "'columns_long_stale'", [json.dumps(ev)])
    return db


def test_html_escapes_crawled_strings_and_is_self_contained(tampered, tmp_path):
    out = tmp_path / "r.html"
    write_report(build_report(tampered, "demo"), "html", out)
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "@media print" in html
    assert 'src="data:image/png;base64,' in html and "截图缺失：evidence/missing.png" in html
    for external in ('src="http', "<link ", "@import", "url(http"):
        assert external not in html


def test_markdown_escapes_and_holds_every_annex(tampered, tmp_path):
    out = tmp_path / "r.md"
    report = build_report(tampered, "demo")
    write_report(report, "md", out)
    md = out.read_text(encoding="utf-8")
    assert "<script>" not in md and "\\<script\\>" in md
    for title in ("一、总体情况", "附件1 全省政府网站检查情况", "附件2 检查发现存在突出问题的政府网站名单",
                  "附件3 全省政务新媒体抽查情况", "附件4", "证据：存在突出问题的网站", "需人工复核的问题"):
        assert title in md
    total = report.annex1[-1]
    assert f"| 合计 |  | {total.run} | {total.checked} | {total.failing} | {total.share} |" in md


def test_xlsx_sheets_and_rows(demo_db, tmp_path):
    report = build_report(demo_db, "demo")
    out = tmp_path / "r.xlsx"
    assert main(["report", "--db", str(demo_db), "--run", "demo", "--format", "xlsx", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:5] == ["总体情况", "附件1", "附件2", "附件3", "附件4"] and "证据" in wb.sheetnames
    annex1 = list(wb["附件1"].iter_rows(min_row=2, values_only=True))
    assert annex1[0] == ("序号", "单位", "实际运行网站数", "检查网站数", "发现存在突出问题的网站数", "占检查数比例")
    assert len(annex1) == 1 + len(report.annex1)
    assert annex1[-1][0] == "合计" and annex1[-1][2] == report.annex1[-1].run
    annex2 = list(wb["附件2"].iter_rows(min_row=3, max_row=2 + len(report.annex2), values_only=True))
    assert [r[4] for r in annex2] == [r.code for r in report.annex2]
    assert wb["附件2"]["A2"].font.bold and wb["附件2"].column_dimensions["D"].width >= 40
    assert wb["总体情况"]["A4"].value == report.summary


def test_json_is_the_same_content(demo_db):
    report = build_report(demo_db, "demo")
    from govcrawl.report.json import render

    data = json.loads(render(report))
    assert data["schema"] == "govcrawl-report" and data["run_id"] == "demo"
    assert [r["code"] for r in data["annex2"]] == [r.code for r in report.annex2]
    assert data["tables"]["annex1"]["rows"][-1][0] == "合计"
    assert data["evidence"][0]["site_code"] == report.annex2[0].code


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not shutil.which("chromium"), reason="no chromium")
def test_headless_chromium_screenshot_of_the_html_report(demo_db, tmp_path):
    html, png = tmp_path / "r.html", tmp_path / "shot.png"
    write_report(build_report(demo_db, "demo"), "html", html)
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                    f"--screenshot={png}", "--window-size=1200,2000", html.as_uri()],
                   capture_output=True, timeout=120)
    data = png.read_bytes()
    assert data[:8] == PNG[:8]
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 2000) and len(data) > 20_000   # a rendered page, not a blank canvas
