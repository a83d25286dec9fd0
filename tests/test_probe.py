"""Monitor mode: `govcrawl probe` visits homepages into `probes`; a week of probes decides site_unreachable."""
import shutil
from datetime import datetime, timedelta

import pytest
import sqlite_utils

from govcrawl.categories import Categories
from govcrawl.commands.probe import parse_interval
from govcrawl.cli import main
from govcrawl.replay.proxy import ReplayServer
from govcrawl.rules import RuleSettings
from pipelines.verdicts import judge
from tests.conftest import DEMO

REACHABLE, DROPPED, ERROR_503 = "4300000017", "4300000080", "4306000021"


def test_probe_rounds_record_every_visit(tmp_path):
    registry = tmp_path / "r.csv"
    lines = (DEMO / "registry.csv").read_text(encoding="utf-8").splitlines()
    registry.write_text("\n".join([lines[0]] + [l for l in lines if l.split(",")[0] in (REACHABLE, DROPPED, ERROR_503)]),
                        encoding="utf-8")
    db = tmp_path / "p.db"
    with ReplayServer(DEMO) as proxy:
        assert main(["probe", "--registry", str(registry), "--db", str(db), "--rounds", "2", "--every", "0s",
                     "--proxy", proxy.url, "--run", "p1", "--timeout", "5"]) == 0
    probes = list(sqlite_utils.Database(db).query("select site_code, ok, status from probes where run_id = 'p1'"))
    assert len(probes) == 6
    ok = {p["site_code"]: p["ok"] for p in probes}
    assert ok == {REACHABLE: 1, DROPPED: 0, ERROR_503: 0}
    assert {p["status"] for p in probes if p["site_code"] == ERROR_503} == {503}


@pytest.mark.parametrize("failures_a_day, fails", [(0, False), (1, True)])  # 1 of 20 = 5 %: fails (含)
def test_a_week_of_probes_decides_site_unreachable(demo_db, tmp_path, failures_a_day, fails):
    db_path = tmp_path / "demo.db"
    shutil.copyfile(demo_db, db_path)
    db = sqlite_utils.Database(db_path)
    rows = []
    for day in range(7):
        when = datetime(2019, 6, 10) - timedelta(days=day)
        for n in range(20):
            at = (when + timedelta(minutes=n * 70)).isoformat()
            rows.append({"run_id": "week", "site_code": REACHABLE, "url": "http://dfz.hunan.gov.cn/", "at": at,
                         "ok": int(n >= failures_a_day), "status": 200, "elapsed_ms": 100, "error": None})
    db["probes"].insert_all(rows)
    findings = judge(db, "demo", REACHABLE, RuleSettings(), Categories.load())
    unreachable = [f for f in findings if f.indicator == "site_unreachable"]
    assert bool(unreachable) == fails
    if fails:
        assert "监测7天" in unreachable[0].detail and unreachable[0].evidence["mode"] == "monitor"


def test_too_few_probes_fall_back_to_the_crawl(demo_db, tmp_path):
    db_path = tmp_path / "demo.db"
    shutil.copyfile(demo_db, db_path)
    db = sqlite_utils.Database(db_path)
    db["probes"].insert_all([{"run_id": "few", "site_code": REACHABLE, "url": "u", "at": f"2019-06-0{d}T10:00:00",
                              "ok": 0, "status": None, "elapsed_ms": 15000, "error": "timeout"} for d in range(4, 10)])
    findings = judge(db, "demo", REACHABLE, RuleSettings(), Categories.load())
    assert not [f for f in findings if f.indicator == "site_unreachable"]


@pytest.mark.parametrize("text, seconds", [("90s", 90), ("15m", 900), ("1h", 3600), ("1d", 86400), ("30", 30)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


def test_bad_interval_is_a_clear_error():
    with pytest.raises(SystemExit, match="--every"):
        parse_interval("hourly")
