"""`govcrawl review` round trip on the replayed demo: a confirmed content-safety finding fails its site in the report,
a dismissed one leaves it, and both decisions carry over to a later run and to `govcrawl diff`. Then: no output
format holds an unmasked resident ID, mobile or bank card number."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from fixtures.builder.safety import fill
from govcrawl.extract.personal import id_check_ok, luhn_ok
from govcrawl.report import build_report, write_report
from tests.conftest import ROOT, crawl

HIDDEN, LEAK, WORDING = "4310000011", "4309000007", "4313000021"
# the raw values the demo publishes on 4309000007 (fixtures/builder/spec/near_misses.toml)
RAW = [fill("{id:43090219850312123}"), "13807371234", fill("{card:622202020011223344}")]


def govcrawl(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "govcrawl.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def query(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def reviewed(demo_db, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("review") / "review.db"
    shutil.copy(demo_db, db)
    listing = govcrawl("review", "--db", str(db), "--run", "demo")
    assert listing.returncode == 0, listing.stderr
    assert "5 项需人工核实" in listing.stdout and f"{HIDDEN} " in listing.stdout
    for args in (("confirm", HIDDEN, "hidden_links", "--note", "查看首页源码，暗链属实", "--by", "张检查"),
                 ("dismiss", LEAK, "personal_data", "--note", "经核实为已脱敏的样例数据", "--by", "李复核")):
        result = govcrawl("review", *args, "--db", str(db), "--run", "demo")
        assert result.returncode == 0, result.stderr
    return db


def test_decisions_are_recorded_with_time_person_and_note(reviewed):
    rows = query(reviewed, "select site_code, indicator, decision, note, by, decided_at, finding_key from reviews "
                           "order by site_code")
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [(LEAK, "personal_data", "dismissed", "李复核"),
                                                         (HIDDEN, "hidden_links", "confirmed", "张检查")]
    assert all(r[3] and r[5] and r[6] for r in rows)


def test_confirm_fails_the_site_and_dismiss_leaves_the_report(reviewed):
    assert query(reviewed, "select passed, judged_passed from sites where run_id='demo' and site_code=?", HIDDEN) == [(0, 1)]
    assert query(reviewed, "select passed from sites where run_id='demo' and site_code=?", LEAK) == [(1,)]
    report = build_report(reviewed, "demo")
    row = next(r for r in report.annex2 if r.code == HIDDEN)
    assert row.problems == "存在安全、泄密事故等严重问题，网页被植入指向赌博、色情等网站的隐藏链接"
    confirmed = next(t for t in report.apart_tables() if t.key == "confirmed")
    assert confirmed.rows[0][0] == HIDDEN and "张检查" in confirmed.rows[0][4] and "暗链属实" in confirmed.rows[0][4]
    verify = next(t for t in report.apart_tables() if t.key == "verify")
    assert {r[0] for r in verify.rows} == {"4303000021", "4308000002", WORDING}     # open ones only
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    assert "泄露公民个人信息" not in text and "身份证号1个" not in text


def test_decisions_survive_a_later_run_and_diff(reviewed):
    result = crawl(reviewed, "-a", "run=demo2", "-a", f"sites={HIDDEN},{LEAK},{WORDING}", "-s", "GOVCRAWL_SCREENSHOTS=0")
    assert result.returncode == 0, result.stderr[-3000:]
    got = dict(((s, i), r) for s, i, r in query(
        reviewed, "select site_code, indicator, review from findings where run_id='demo2' and review is not null"))
    assert got == {(HIDDEN, "hidden_links"): "confirmed", (LEAK, "personal_data"): "dismissed",
                   (WORDING, "wording_error"): "open"}
    assert query(reviewed, "select site_code, passed from sites where run_id='demo2' order by site_code") == [
        (LEAK, 1), (HIDDEN, 0), (WORDING, 1)]
    report = build_report(reviewed, "demo2")
    assert [r.code for r in report.annex2] == [HIDDEN]
    diff = govcrawl("diff", "demo", "demo2", "--db", str(reviewed))
    assert diff.returncode == 0, diff.stderr
    assert "网页被植入" in diff.stdout and "泄露公民个人信息" not in diff.stdout


_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_CARD = re.compile(r"(?<!\d)\d{16,19}(?!\d)")
_URL = re.compile(r"https?://[^\s\"'<>]+")


def unmasked(text: str) -> list[str]:
    """Every resident ID (valid check digit), mobile number or card number (Luhn) in `text`. Inside a link a long
    number is the id of a post or a container (links stay whole to lead to the evidence): IDs and mobiles only."""
    found = [m for m in _ID.findall(text) if id_check_ok(m)] + _MOBILE.findall(text)
    found += [m for m in _CARD.findall(_URL.sub(" ", text)) if luhn_ok(m)]
    return found + [raw for raw in RAW if raw in text]


def test_no_output_holds_an_unmasked_number(demo_db, tmp_path):
    # crawled strings that reach the outputs unchecked by any extractor: a site name, a veto finding's detail, a
    # future-dated entry's title (explain lists it)
    db = tmp_path / "leaky.db"
    shutil.copy(demo_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute("update sites set name = name || ? where site_code = ?", (f"（联系人张伟{RAW[1]}）", LEAK))
        conn.execute("update findings set detail = detail || ? where veto = 1", (f"（身份证号{RAW[0]}）",))
        conn.execute("update entries set title = title || ? where date > '2019-06-10'", (f"（银行卡号{RAW[2]}）",))
    outputs = {}
    report = build_report(db, "demo")
    assert any(r.indicator == "personal_data" for r in report.verify)   # the leak is reported, masked
    for fmt in ("md", "html", "json"):
        write_report(report, fmt, tmp_path / f"r.{fmt}")
        outputs[fmt] = (tmp_path / f"r.{fmt}").read_text(encoding="utf-8")
    write_report(report, "xlsx", tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    outputs["xlsx"] = "\n".join(c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    future = query(db, "select site_code from entries where date > '2019-06-10' limit 1")[0][0]
    for args in (("explain", LEAK), ("explain", future), ("review",), ("diff", "demo", "demo")):
        result = govcrawl(*args, "--db", str(db), *(("--run", "demo") if args[0] != "diff" else ()))
        assert result.returncode == 0, result.stderr
        outputs[" ".join(args)] = result.stdout
    assert "**************" in outputs["review"] and "*******1234" in outputs["json"]  # shown, masked
    assert "银行卡号" in outputs[f"explain {future}"] and "联系人张伟" in outputs["html"]
    for name, text in outputs.items():
        assert unmasked(text) == [], name
