"""The evaluation harness's content-safety part: every review code is fired and near-missed in a generated province,
the cases are in the pages as served, and the scoring counts hand-made results right."""
from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from evalgen import generate  # noqa: E402
from evalgen.safety import CASES_PER_MODE, CODES  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_eval_safety", ROOT / "bench" / "eval.py")
harness = importlib.util.module_from_spec(_spec)
sys.modules["bench_eval_safety"] = harness
_spec.loader.exec_module(harness)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    out = tmp_path_factory.mktemp("safety-province")
    return out, generate(7, 28, out)


def test_every_code_fires_and_is_near_missed(province):
    _, truth = province
    fires = Counter(c for s in truth["sites"].values() for c in s["review_safety"])
    misses = Counter(c for s in truth["sites"].values() for c in s["safety_near_miss"])
    for code in CODES:
        assert fires[code] == CASES_PER_MODE and misses[code] >= 1, code
    for site in truth["sites"].values():
        assert not set(site["review_safety"]) & set(site["safety_near_miss"])


def test_cases_are_in_the_pages_as_served(province):
    out, truth = province
    pages = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (out / "hosts").rglob("*") if p.is_file())
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    cloaked = sum(s["review_safety"].count("cloaking_redirect") for s in truth["sites"].values())
    by_script = pages.count("document.referrer.toLowerCase()")
    assert manifest.count("#as-spider") + manifest.count("#from-search") + by_script >= cloaked
    assert "临时救助公示" in pages and "深入学习宣传贯彻" in pages


def test_scoring_counts_on_hand_made_results(tmp_path):
    db = sqlite_utils.Database(tmp_path / "x.db")
    db["findings"].insert_all([
        {"run_id": "r", "site_code": "1", "indicator": "hidden_links", "veto": 0},      # TP
        {"run_id": "r", "site_code": "2", "indicator": "personal_data", "veto": 0},     # FP on a near miss
        {"run_id": "r", "site_code": "2", "indicator": "broken_links", "veto": 0},      # not a safety code
    ])
    site = {"family": "trs"}
    truth = {"sites": {"1": {**site, "review_safety": ["hidden_links", "wording_error"], "safety_near_miss": []},
                       "2": {**site, "review_safety": [], "safety_near_miss": ["personal_data", "tampered_content"]}}}
    run = harness.Run(1, truth, db, "r")
    counts = harness.measure_safety(run)
    assert counts["hidden_links"]["tp"] == 1 and counts["wording_error"]["fn"] == 1
    assert counts["personal_data"]["fp"] == 1 and counts["personal_data"]["near_silent"] == 0
    assert counts["tampered_content"]["near_silent"] == counts["tampered_content"]["near"] == 1
    rows = {r[0]: r for r in harness.safety_rows(counts)}
    assert rows["`hidden_links`"][4:6] == ["1.00", "1.00"] and rows["`personal_data`"][4] == "0.00"
    assert len(run.misjudged) == 2
