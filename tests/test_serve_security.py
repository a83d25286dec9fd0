"""`govcrawl serve` is local and read-only by default (README "Security")."""
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import sqlite_utils

from conftest import ROOT
from govcrawl.cli import main
from test_serve import _free_port


def test_serve_listens_on_loopback_and_defines_no_writable_query(tmp_path):
    db = tmp_path / "tiny.db"
    sqlite_utils.Database(db)["sites"].insert({"site_code": "4300000001", "name": "示例"})
    assert main(["serve", "--db", str(db), "--metadata-out", str(tmp_path / "m.json")]) == 0
    meta = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert not any(q.get("write") for d in meta["databases"].values() for q in d.get("queries", {}).values())
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govcrawl.cli", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        sql = urllib.parse.quote("delete from sites")
        for _ in range(150):
            try:
                answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/tiny.json?sql={sql}", timeout=2)
                break
            except urllib.error.HTTPError as exc:   # Datasette refuses the statement
                answer = exc
                break
            except OSError:
                time.sleep(0.2)
        body = answer.read().decode()
        assert "must be a select" in body.lower(), body
        assert sqlite_utils.Database(db)["sites"].count == 1
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
        assert [line.split()[3] for line in listening.splitlines()] == [f"127.0.0.1:{port}"], listening
    finally:
        proc.terminate()
        proc.wait(timeout=10)
