"""Runs are honest about themselves (issue 14 point 4): a killed run is `interrupted` everywhere, the report takes
the latest finished run and says which, a run id is not silently reused, and T must be a real monitoring point."""
import json
import re
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest

from govcrawl.runstate import EARLIEST_AS_OF, as_of_problem
from tests.conftest import DEMO, ROOT, crawl

NEWMEDIA = ROOT / "fixtures" / "newmedia"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def govcrawl(*args):
    return subprocess.run([sys.executable, "-m", "govcrawl.cli", *map(str, args)], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=300)


def runs(db):
    with sqlite3.connect(db) as conn:
        return {r[0]: r[1] for r in conn.execute("select run_id, status from runs")}


@pytest.mark.parametrize("spider, fixtures", [("provincial", DEMO), ("newmedia", NEWMEDIA)])
@pytest.mark.parametrize("as_of, message", [
    ("2999-01-01", "in the future"), ((date.today() + timedelta(days=2)).isoformat(), "in the future"),
    ("1900-01-01", "before 2019-01-01"), ("2018-12-31", "before 2019-01-01")])
def test_a_monitoring_point_outside_19hao_is_exit_code_2(tmp_path, spider, fixtures, as_of, message):
    result = crawl(tmp_path / "x.db", fixtures=fixtures, spider=spider, as_of=as_of, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_the_earliest_monitoring_point_is_allowed():
    assert as_of_problem(EARLIEST_AS_OF) is None and as_of_problem(EARLIEST_AS_OF - timedelta(days=1))


def test_a_run_id_is_reused_only_with_the_same_registry_and_as_of_or_replace(tmp_path):
    db = tmp_path / "nm.db"
    assert crawl(db, "-a", "run=nm", fixtures=NEWMEDIA, spider="newmedia").returncode == 0
    listing = govcrawl("runs", "--db", db).stdout.splitlines()
    assert listing[0].split() == ["run_id", "spider", "as_of", "status", "inspected", "failing", "undecided",
                                  "requests", "columns", "per_column", "started_at", "by_purpose"]
    # the new-media run counts its accounts (148, 38 failing, 7 not checked) and its requests, all for accounts
    row = listing[1].split()
    assert row[:7] == ["nm", "newmedia", "2019-06-10", "finished", "148", "38", "7"] and int(row[7]) > 148
    # (retried requests count again under their purpose)
    assert row[8:10] == ["0", "-"] and re.fullmatch(r"account=\d+", row[11]) and int(row[11][8:]) >= int(row[7])

    other = crawl(db, "-a", "run=nm", fixtures=NEWMEDIA, spider="newmedia", as_of="2019-06-11")
    assert other.returncode == 2 and "-a run=nm: that run already exists with as_of 2019-06-10" in other.stderr
    assert "replace=1" in other.stderr
    registry = tmp_path / "accounts.csv"
    registry.write_text((NEWMEDIA / "accounts.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
                        + (NEWMEDIA / "accounts.csv").read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    another = crawl(db, "-a", "run=nm", "-a", f"accounts={registry}", fixtures=NEWMEDIA, spider="newmedia")
    assert another.returncode == 2 and "registry" in another.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), max(as_of) from accounts a join runs r using (run_id)").fetchone() == (
            148, "2019-06-10")

    replaced = crawl(db, "-a", "run=nm", "-a", "replace=1", "-a", f"accounts={registry}", fixtures=NEWMEDIA,
                     spider="newmedia", as_of="2019-06-11")
    assert replaced.returncode == 0, replaced.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select as_of, registry from runs where run_id = 'nm'").fetchone() == (
            "2019-06-11", str(registry))
        assert conn.execute("select count(*) from accounts where run_id = 'nm'").fetchone() == (1,)


@pytest.fixture(scope="module")
def killed_db(demo_db, tmp_path_factory):
    """The demo database (finished run 'demo') plus a website run killed with SIGKILL mid-crawl."""
    db = tmp_path_factory.mktemp("killed") / "k.db"
    with sqlite3.connect(demo_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    cmd = [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", f"replay={DEMO}", "-a", "as_of=2019-06-10",
           "-a", "run=killed", "-s", f"GOVCRAWL_DB={db}", "-s", "DOWNLOAD_DELAY=5", "-s", "AUTOTHROTTLE_ENABLED=0",
           "-s", "GOVCRAWL_RENDER=0", "-s", "GOVCRAWL_SCREENSHOTS=0", "-s", "LOG_LEVEL=WARNING"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while runs(db).get("killed") != "running":
            assert time.monotonic() < deadline and proc.poll() is None, "the crawl never wrote its run row"
            time.sleep(0.2)
        time.sleep(1)
    finally:
        proc.kill()
        proc.wait()
    return db


def test_a_killed_run_is_interrupted_in_runs_report_and_datasette(killed_db, tmp_path):
    assert runs(killed_db)["killed"] == "running"          # nobody has looked yet
    listing = govcrawl("runs", "--db", killed_db).stdout
    assert [line.split()[3] for line in listing.splitlines() if line.startswith("killed")] == ["interrupted"]

    report = govcrawl("report", "--db", killed_db, "--format", "json", "--out", tmp_path / "r.json")
    assert report.returncode == 0
    assert "report of run demo (the latest finished website run" in report.stderr
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["run_id"] == "demo"

    named = govcrawl("report", "--db", killed_db, "--run", "killed", "--format", "html", "--out", tmp_path / "k.html")
    assert named.returncode == 0 and "warning: run killed is interrupted" in named.stderr
    assert "未正常结束（interrupted）" in (tmp_path / "k.html").read_text(encoding="utf-8")

    meta = json.loads(open(govcrawl("serve", "--db", killed_db, "--metadata-out", tmp_path / "m.json").stdout.strip(),
                           encoding="utf-8").read())
    assert "status = 'finished'" in json.dumps(meta, ensure_ascii=False)   # the canned 附件 queries skip it


def test_report_refuses_an_interrupted_run_unless_it_is_named(killed_db, tmp_path):
    db = tmp_path / "only-killed.db"
    with sqlite3.connect(killed_db) as a, sqlite3.connect(db) as b:
        a.backup(b)
    with sqlite3.connect(db) as conn:
        conn.execute("delete from runs where run_id = 'demo'")
        conn.execute("delete from sites where run_id = 'demo'")
    govcrawl("runs", "--db", db)
    refused = govcrawl("report", "--db", db, "--format", "md")
    assert refused.returncode == 2
    assert "no finished website run; the latest, killed, is interrupted: name it with --run" in refused.stderr


def test_a_replayed_crawl_has_no_politeness_delay_and_no_warning(tmp_path):
    """Without any -s: the new-media demo (268 requests to two hosts) once took 2 min 26 s of delays and printed
    Scrapy's RANDOMIZE_DOWNLOAD_DELAY deprecation warning."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "newmedia", "-a", f"replay={NEWMEDIA}", "-a", "as_of=2019-06-10",
           "-s", f"GOVCRAWL_DB={tmp_path / 'nm.db'}", "-s", "LOG_LEVEL=INFO"]
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert time.monotonic() - started < 60
    assert [line for line in result.stderr.splitlines() if "WARNING" in line or "Deprecat" in line] == []
