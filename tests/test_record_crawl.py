"""`govcrawl record` against the replay proxy standing in for the internet: the recording replays to the same result."""
import os
import subprocess
import sys

import sqlite_utils

from govcrawl.replay.proxy import ReplayServer
from tests.conftest import DEMO, ROOT, crawl

SITES = "4300000017,4300000068,4309000018,4300000065"  # TRS, Hanweb dataproxy, GBK legacy, a 301 chain


def columns(db, run):
    return {(r["site_code"], r["url"]): (r["newest_date"], r["entries"])
            for r in sqlite_utils.Database(db).query("select * from columns where run_id = ?", [run])}


def test_record_then_replay_gives_the_same_crawl(tmp_path):
    registry = tmp_path / "registry.csv"
    lines = (DEMO / "registry.csv").read_text(encoding="utf-8").splitlines()
    registry.write_text("\n".join([lines[0]] + [l for l in lines[1:] if l.split(",")[0] in SITES.split(",")]) + "\n",
                        encoding="utf-8")
    recorded = tmp_path / "recorded"
    with ReplayServer(DEMO) as internet:
        cmd = [sys.executable, "-m", "govcrawl.cli", "record", str(registry), "--out", str(recorded),
               "--upstream", internet.url, "--as-of", "2019-06-10", "--db", str(tmp_path / "rec.db"),
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"]
        result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (recorded / "registry.csv").exists() and (recorded / "hosts").is_dir()

    original, replayed = tmp_path / "original.db", tmp_path / "replayed.db"
    assert crawl(original, "-a", f"registry={registry}", "-a", "run=a").returncode == 0
    assert crawl(replayed, "-a", "run=b", fixtures=recorded).returncode == 0
    first, second = columns(original, "a"), columns(replayed, "b")
    assert len(first) > 20 and first == second
    findings = [sorted((r["site_code"], r["indicator"]) for r in sqlite_utils.Database(db).query(
        "select site_code, indicator from findings")) for db in (original, replayed)]
    assert findings[0] == findings[1] and findings[0]
