"""`scrapy crawl newmedia` over fixtures/newmedia (https through the replay proxy), against truth.json and 附件3/4."""
from __future__ import annotations

import filecmp
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from fixtures import newmedia_builder as spec
from govcrawl.commands.newmedia import import_facts
from govcrawl.rules.wording import problems_text
from tests.conftest import ROOT, crawl

FIXTURE = ROOT / "fixtures" / "newmedia"
ORDER = ["account_not_updated", "account_no_interaction"]


def rows(db: Path, sql: str, *args):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args)]


def verdicts(db: Path, run: str) -> dict:
    findings: dict[str, list[str]] = {}
    for f in rows(db, "select site_code, indicator from findings where run_id = ?", run):
        findings.setdefault(f["site_code"], []).append(f["indicator"])
    return {a["account_id"]: {"name": a["name"], "unit": a["unit"], "platform": a["platform"], "status": a["status"],
                              "passed": None if a["passed"] is None else bool(a["passed"]),
                              "findings": sorted(findings.get(a["account_id"], []), key=ORDER.index)}
            for a in rows(db, "select * from accounts where run_id = ?", run)}


@pytest.fixture(scope="module")
def nm_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("newmedia") / "nm.db"
    result = crawl(db, "-a", "run=nm", fixtures=FIXTURE, spider="newmedia", timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return db


def test_findings_equal_the_fixture_truth(nm_db):
    truth = json.loads((FIXTURE / "truth.json").read_text(encoding="utf-8"))
    assert verdicts(nm_db, "nm") == truth["accounts"]
    [run] = rows(nm_db, "select * from runs where run_id = 'nm'")
    assert (run["spider"], run["as_of"], run["status"], run["sites"]) == ("newmedia", "2019-06-10", "finished", 148)


def test_annex4_and_annex3_rows_derivable(nm_db):
    failed = [(a["unit"], a["name"], problems_text(a["findings"], account=True,
                                                   platform="wechat" if a["platform"] == "微信" else "weibo"),
               a["platform"]) for a in verdicts(nm_db, "nm").values() if a["passed"] is False]
    notice = [(unit, name, problem.replace(",", "，"), platform) for unit, name, platform, problem in spec.ANNEX4]
    assert len(notice) == 38 and sorted(failed) == sorted(notice)
    per_unit = rows(nm_db, "select unit, count(*) n, sum(passed = 0) bad from accounts where run_id = 'nm' "
                           "and status = 'checked' group by unit")
    assert {r["unit"]: r["n"] for r in per_unit} == dict(spec.ANNEX3)
    assert sum(r["bad"] for r in per_unit) == 38


def test_pinned_recent_post_does_not_count_and_pages_follow_since_id(nm_db):
    [minzheng] = rows(nm_db, "select * from findings where run_id = 'nm' and site_code = 'nm01001'")
    assert minzheng["indicator"] == "account_not_updated" and "置顶不计为更新" in minzheng["detail"]
    pinned = rows(nm_db, "select published from posts where run_id = 'nm' and account_id = 'nm01001' and pinned = 1")
    assert pinned[0]["published"].startswith("2019-06-09")
    xingjing = rows(nm_db, "select count(*) n from posts where run_id = 'nm' and account_id = 'nm01004'")
    assert xingjing[0]["n"] == 3          # the pinned post on page 1, two more on the since_id page


def test_antibot_and_login_walls_are_unchecked_not_failed(nm_db):
    blocked = {a["name"]: a for a in rows(nm_db, "select * from accounts where run_id = 'nm' and status != 'checked'")}
    assert {n: a["status"] for n, a in blocked.items()} == {
        "长沙发布": "unchecked", "衡阳发布": "unchecked", "岳阳政务": "unchecked", "常德公安": "unchecked",
        "郴州交警": "unchecked", "长沙市场监管": "unsupported", "株洲发布": "unsupported"}
    assert "搜狗反爬" in blocked["衡阳发布"]["reason"] and "登录墙" in blocked["常德公安"]["reason"]
    assert all(a["passed"] is None for a in blocked.values())
    codes = [a["account_id"] for a in blocked.values()]
    assert rows(nm_db, f"select * from findings where site_code in ({','.join('?' * len(codes))})", *codes) == []


def test_crawl_then_import_gives_the_same_verdicts(tmp_path, capsys):
    fixture = tmp_path / "nm"
    shutil.copytree(FIXTURE, fixture, ignore=shutil.ignore_patterns("facts.csv"))
    db = tmp_path / "nm.db"
    assert crawl(db, "-a", "run=r2", fixtures=fixture, spider="newmedia", timeout=300).returncode == 0
    before = verdicts(db, "r2")
    assert before["nm01009"]["status"] == "unchecked"          # WeChat interaction needs the back-end export
    assert before["nm01003"]["findings"] == ["account_not_updated"]      # stale on Sogou alone: already failed
    assert import_facts(str(FIXTURE / "facts.csv"), str(db), "r2") == 0
    truth = json.loads((FIXTURE / "truth.json").read_text(encoding="utf-8"))
    assert verdicts(db, "r2") == truth["accounts"]
    assert "re-judged" in capsys.readouterr().out


def test_import_rejects_unknown_run_and_accounts(nm_db, tmp_path):
    facts = tmp_path / "f.csv"
    facts.write_text("account_id,newest_post,menu,messages,auto_reply\nnope,2019-06-01,是,是,是\n", encoding="utf-8")
    assert import_facts(str(facts), str(nm_db), "no-such-run") == 2
    assert import_facts(str(facts), str(nm_db), "nm") == 1


def test_builder_is_deterministic(tmp_path):
    spec.build(tmp_path / "out")
    compare = filecmp.dircmp(FIXTURE, tmp_path / "out")
    assert not (compare.left_only or compare.right_only or compare.diff_files)
    assert filecmp.cmpfiles(FIXTURE / "hosts", tmp_path / "out" / "hosts",
                            [str(p.relative_to(FIXTURE / "hosts")) for p in (FIXTURE / "hosts").rglob("*")
                             if p.is_file()], shallow=False)[1:] == ([], [])
