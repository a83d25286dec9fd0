"""DNS failure: the crawl runs in a network namespace of its own whose resolver is 127.0.0.1 with nothing
listening, so the lookup fails for real and no packet leaves the namespace."""
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("ip"),
                                reason="network namespaces need root and iproute2")


@pytest.fixture
def netns():
    name = f"gcdns{uuid.uuid4().hex[:8]}"
    conf = Path("/etc/netns") / name
    conf.mkdir(parents=True)
    (conf / "resolv.conf").write_text("nameserver 127.0.0.1\n")
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)
        shutil.rmtree(conf, ignore_errors=True)


def test_dns_failure_is_retried_recorded_and_judged_unreachable(netns, tmp_path):
    registry = tmp_path / "r.csv"
    registry.write_text("site_code,name,unit,url\n4399000099,不存在的网站,省直,http://nonexistent-site.hostile.gov.cn/\n",
                        encoding="utf-8")
    db = tmp_path / "dns.db"
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    cmd = ["ip", "netns", "exec", netns, sys.executable, "-m", "scrapy", "crawl", "provincial",
           "-a", f"registry={registry}", "-a", "as_of=2019-06-10", "-a", "run=dns", "-s", f"GOVCRAWL_DB={db}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "GOVCRAWL_RENDER=0"]
    result = subprocess.run(cmd, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    data = sqlite_utils.Database(db)
    attempts = list(data.query("select * from fetches where run_id = 'dns' order by attempt"))
    assert [a["attempt"] for a in attempts] == [1, 2, 3]
    assert all("DNS" in a["error"] or "resolve" in a["error"].lower() for a in attempts), attempts
    assert [f["indicator"] for f in data.query("select indicator from findings where run_id = 'dns'")] == ["site_unreachable"]
