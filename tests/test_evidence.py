"""Screenshots as evidence: targets, the evidence JSON link, and real PNGs for a failing demo site."""
import json
from pathlib import Path

import sqlite_utils

from conftest import crawl
from pipelines.evidence import evidence_root, shot_targets, with_screenshots


def test_targets_homepage_then_named_pages():
    site = {"final_url": "http://a.gov.cn/", "reachable": 1}
    findings = [{"indicator": "columns_long_stale", "evidence_url": "http://a.gov.cn/tzgg/"},
                {"indicator": "homepage_not_updated", "evidence_url": "http://a.gov.cn/"},
                {"indicator": "blank_columns", "evidence_url": "http://a.gov.cn/tzgg/"}]
    targets = shot_targets(site, findings)
    assert [u for _, u in targets] == ["http://a.gov.cn/", "http://a.gov.cn/tzgg/"]
    assert targets[0][0] == "homepage" and targets[1][0].startswith("columns_long_stale-")


def test_unreachable_site_has_no_homepage_shot():
    assert shot_targets({"final_url": None, "reachable": 0}, [{"indicator": "site_unreachable", "evidence_url": None}]) == []


def test_evidence_json_keeps_facts():
    merged = json.loads(with_screenshots('{"columns": ["a"]}', ["evidence/r/s/homepage.png"]))
    assert merged == {"columns": ["a"], "screenshots": ["evidence/r/s/homepage.png"]}
    assert json.loads(with_screenshots(None, ["x.png"])) == {"screenshots": ["x.png"]}


def test_evidence_root_is_beside_the_database(tmp_path):
    assert evidence_root(str(tmp_path / "g.db"), None) == tmp_path / "evidence"
    assert evidence_root(str(tmp_path / "g.db"), "/abs/ev") == Path("/abs/ev")


def test_failing_site_gets_pngs_passing_site_none(tmp_path):
    # 4309000043 fails homepage_url_mismatch; 4304000012 passes
    result = crawl(tmp_path / "ev.db", "-a", "run=ev", "-a", "sites=4309000043,4304000012")
    assert result.returncode == 0, result.stderr[-3000:]
    db = sqlite_utils.Database(tmp_path / "ev.db")
    finding = next(db.query("select * from findings where run_id='ev' and site_code='4309000043' and veto=1"))
    shots = json.loads(finding["evidence"])["screenshots"]
    assert shots and shots[0].endswith("4309000043/homepage.png")
    png = tmp_path / shots[0]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    assert not (tmp_path / "evidence" / "ev" / "4304000012").exists()
