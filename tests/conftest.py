import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"


def crawl(db: Path, *args: str, fixtures: Path = DEMO, as_of: str = "2019-06-10", spider: str = "provincial",
          timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `scrapy crawl` in a subprocess exactly as a user would, offline through the replay proxy."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"replay={fixtures}", "-a", f"as_of={as_of}",
           "-s", f"GOVCRAWL_DB={db}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
           "-s", "LOG_LEVEL=INFO", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def findings_vs_truth(db: Path, run_id: str, truth: dict) -> list[str]:
    """Every site whose veto or review findings in `db` differ from the fixtures' truth, one line each."""
    import sqlite_utils

    got = {}
    for r in sqlite_utils.Database(db).query("select site_code, indicator, veto from findings where run_id = ?", [run_id]):
        got.setdefault(r["site_code"], {"veto": set(), "review": set()})["veto" if r["veto"] else "review"].add(r["indicator"])
    problems = []
    for code, site in truth["sites"].items():
        g = got.get(code, {"veto": set(), "review": set()})
        if g["veto"] != set(site["findings"]):
            problems.append(f"{code} {site['name']}: veto {sorted(g['veto'])} != {sorted(site['findings'])}")
        if g["review"] != set(site.get("review", [])):
            problems.append(f"{code} {site['name']}: review {sorted(g['review'])} != {sorted(site.get('review', []))}")
    return problems


@pytest.fixture(scope="session")
def demo_truth() -> dict:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """One replayed crawl of the demo province, shared by the end-to-end tests."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = crawl(db, "-a", "run=demo")
    assert result.returncode == 0, result.stderr[-4000:]
    return db
