"""`govcrawl serve`: Datasette with generated metadata, loaded in a real headless Chromium."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from govcrawl.cli import main

CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium_dom(url: str, profile: Path) -> str:
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
                             "--dump-dom", url], capture_output=True, text=True, timeout=120)
    return result.stdout


def test_metadata_labels_facets_and_queries(demo_db, tmp_path, capsys):
    import sqlite_utils

    has_accounts = sqlite_utils.Database(demo_db)["accounts"].exists()
    out = tmp_path / "m.json"
    assert main(["serve", "--db", str(demo_db), "--metadata-out", str(out)]) == 0
    meta = json.loads(out.read_text(encoding="utf-8"))
    db = meta["databases"][Path(demo_db).stem]
    assert db["tables"]["sites"]["title"] == "网站" and db["tables"]["sites"]["facets"][0] == "unit"
    assert "indicator" in db["tables"]["findings"]["facets"]
    assert db["tables"]["sites"]["columns"]["site_code"].startswith("网站标识码")
    assert {"annex1", "annex2"} <= set(db["queries"])
    assert ({"annex3", "annex4"} <= set(db["queries"])) == has_accounts


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium")
def test_datasette_page_in_headless_chromium(demo_db, tmp_path):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govcrawl.cli", "serve", "--db", str(demo_db), "--port", str(port)],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}/{Path(demo_db).stem}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base, timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                time.sleep(0.2)
        sites = _chromium_dom(f"{base}/sites?unit=%E7%9C%81%E7%9B%B4", tmp_path / "p1")
        assert "湖南文化遗产网" in sites and "网站标识码" in sites
        annex1 = _chromium_dom(f"{base}/annex1", tmp_path / "p2")
        assert "附件1 全省政府网站检查情况" in annex1 and "省直部门" in annex1 and "占检查数比例" in annex1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
