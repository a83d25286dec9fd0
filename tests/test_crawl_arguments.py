"""`scrapy crawl provincial` with an unusable registry or a bad date: one clear line and exit code 2, no traceback."""
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run(*args):
    cmd = [sys.executable, "-m", "scrapy", "crawl", "provincial", *args]
    return subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "registry.csv"),
    (b"PK\x03\x04" + b"\x00" * 200, "registry.csv"),
    ("site_code,name\n4300000001,某网站\n".encode(), "url"),
])
def test_an_unusable_registry_is_one_clear_error(tmp_path, content, message):
    registry = tmp_path / "registry.csv"
    registry.write_bytes(content)
    result = run("-a", f"registry={registry}", "-s", f"GOVCRAWL_DB={tmp_path / 'x.db'}")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_bad_monitoring_point_is_one_clear_error():
    result = run("-a", "replay=fixtures/demo", "-a", "as_of=2019-02-30")
    assert result.returncode == 2 and "error: -a as_of='2019-02-30': expected YYYY-MM-DD" in result.stderr


def test_no_registry_is_one_clear_error():
    result = run()
    assert result.returncode == 2 and "error: no registry" in result.stderr
