"""Interrupt and resume with -s JOBDIR: one Ctrl-C (or kill -9), the same command again, the same result."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlite_utils

from tests.conftest import DEMO, ROOT

SLOW = ["-s", "CONCURRENT_REQUESTS=3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]


def command(db, jobdir):
    return [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", f"replay={DEMO}", "-a", "as_of=2019-06-10",
            "-s", f"GOVCRAWL_DB={db}", "-s", f"JOBDIR={jobdir}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=INFO", *SLOW]


def judged(db) -> dict[str, str]:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return dict(conn.execute("select site_code, judged_at from sites where judged_at is not null"))
    except sqlite3.OperationalError:  # tables not created yet
        return {}


def findings(db, run=None):
    where = "where run_id = ?" if run else ""
    return sorted((r["site_code"], r["indicator"]) for r in sqlite_utils.Database(db).query(
        f"select site_code, indicator from findings {where}", [run] if run else []))


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_crawl_resumes_to_the_same_findings(demo_db, tmp_path, stop):
    db, jobdir = tmp_path / "run.db", tmp_path / "job"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(command(db, jobdir), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 240
    while len(judged(db)) < 8 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert first.poll() is None, "the crawl ended before it could be interrupted"
    first.send_signal(stop)
    first.communicate(timeout=240)
    before = judged(db)
    assert 8 <= len(before) < 44, len(before)

    second = subprocess.run(command(db, jobdir), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    after = judged(db)
    assert len(after) == sqlite_utils.Database(demo_db)["sites"].count_where("run_id = 'demo'")
    assert all(after[code] == at for code, at in before.items()), "a site judged before the interrupt was crawled again"
    runs = list(sqlite_utils.Database(db)["runs"].rows)
    assert len(runs) == 1 and runs[0]["status"] == "finished"
    assert findings(db) == findings(demo_db, "demo")
    # no duplicated rows: entries per site equal the uninterrupted run's
    count = "select site_code, count(*) from entries {} group by site_code"
    assert dict(sqlite3.connect(db).execute(count.format(""))) == dict(
        sqlite3.connect(demo_db).execute(count.format("where run_id = 'demo'")))
