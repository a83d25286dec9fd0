"""The evaluation harness (bench/eval.py, bench/evalgen): deterministic provinces whose truth matches their pages,
perturbations that keep what a browser shows, and scoring functions on hand-made crawl results."""
from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import lxml.html
import pytest
import sqlite_utils

from govcrawl.replay.store import relative_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from evalgen import generate  # noqa: E402
from evalgen.perturb import PERTURB, perturb  # noqa: E402
from evalgen.plan import VETO_CODES  # noqa: E402
from evalgen.province import plan_province, render_province  # noqa: E402
from evalgen.truth import findings as site_findings  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_eval", ROOT / "bench" / "eval.py")
harness = importlib.util.module_from_spec(_spec)
sys.modules["bench_eval"] = harness   # dataclasses look their module up
_spec.loader.exec_module(harness)

SEED, SITES = 20240, 22
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/年]\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})")


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("province")
    return out, generate(SEED, SITES, out)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_province_other_seed_other(province, tmp_path):
    out, _ = province
    generate(SEED, SITES, tmp_path / "again")
    assert files(tmp_path / "again") == files(out)
    other = generate(SEED + 1, SITES, tmp_path / "other")
    assert other["sites"] != json.loads((out / "truth.json").read_text(encoding="utf-8"))["sites"]


def test_every_code_fired_and_just_missed(province):
    _, truth = province
    scenarios = Counter(site["scenario"] for site in truth["sites"].values())
    for code in VETO_CODES:
        assert scenarios[f"{code}:fire"] == 1 and scenarios[f"{code}:miss"] == 1, code
    for site in truth["sites"].values():
        code, _, mode = site["scenario"].partition(":")
        if mode == "fire":
            assert code in site["findings"], site
        elif mode == "miss":
            assert code not in site["findings"], site
    assert len({site["family"] for site in truth["sites"].values()}) == 7


@pytest.mark.parametrize("seed", range(100, 108))
def test_any_seed_plans_and_renders(seed):
    """Every scenario fits every site shape: no seed may fail to build (the default seeds are only five)."""
    as_of, sites = plan_province(seed, 22)
    rendered = render_province(sites)
    assert len(rendered.pages) > 100
    assert all(code in VETO_CODES for site in sites for code in site_findings(site, as_of))


def page_dates(text: str) -> list[date]:
    text = unicodedata.normalize("NFKC", text)
    return [date(int(y), int(m), int(d)) for y, m, d in _DATE.findall(text)]


def test_truth_columns_match_their_pages(province):
    """Each truth column has a page; a dated list's newest date on or before T is the newest date its first page
    (or its JSON data) shows; a blank column's page links to no article of its own."""
    out, truth = province
    as_of = date.fromisoformat(truth["as_of"])
    checked = 0
    for site in truth["sites"].values():
        for url, column in site["columns"].items():
            path = out / "hosts" / relative_file(url)
            assert path.is_file(), url
            text = path.read_text(encoding="utf-8")
            if column["shape"] == "list":
                data = [p for p in path.parent.glob("data/*.json")]   # AJAX lists: the rows are in the data file
                shown = page_dates(text + "".join(p.read_text(encoding="utf-8") for p in data))
                newest = max((d for d in shown if d <= as_of), default=None)
                assert newest is not None and newest.isoformat() == column["newest_date"], (url, column)
                checked += 1
            elif column["shape"] == "blank":
                assert column["newest_date"] is None and column["blank"]
    assert checked > 50


def test_perturbations_keep_links_and_texts():
    # a PHPCMS link's "&id=" is part of the URL, not an attribute to re-case
    page = ('<html><head><title>t</title></head><body><div class="nav"><ul><li><a href="/a/">工作动态</a></li>'
            '<li><a href="/b/">通知公告</a></li></ul></div><ul class="list"><li><a href="/a/1.html" title="标题一">标题一</a>'
            '<span class="date">2019-06-03</span></li><li><a href="/index.php?a=show&amp;catid=2&amp;id=5" title="标题二">标题二</a>'
            '<span class="date">2019-05-28</span></li></ul></body></html>')

    def seen(html: str) -> tuple[list, list, list]:
        tree = lxml.html.fromstring(html)
        links = [(a.get("href"), " ".join(a.text_content().split())) for a in tree.iter("a")]
        return links, page_dates(tree.text_content()), [e.tag.lower() for e in tree.iter() if isinstance(e.tag, str)]

    links, dates, _ = seen(page)
    for name in PERTURB:
        changed = perturb(page, [name], random.Random(1))
        assert changed != page, name
        got_links, got_dates, _ = seen(changed)
        assert [x for x in got_links if x[1]] == links, name
        assert got_dates == dates, name
    assert perturb('{"data": []}', list(PERTURB), random.Random(1)) == '{"data": []}'


def hand_made_run(tmp_path: Path, truth: dict, sites: list[dict], findings: list[dict], columns: list[dict]):
    db = sqlite_utils.Database(tmp_path / "x.db")
    db["sites"].insert_all([{"run_id": "r", **s} for s in sites])
    db["findings"].insert_all([{"run_id": "r", "veto": 1, "evidence": "{}", **f} for f in findings])
    db["columns"].insert_all([{"run_id": "r", "role": "column", "pages": 1, "http_status": 200, "blocked": None,
                               "category": "news", "entries": 3, **c} for c in columns])
    db["channels"].insert_all([{"run_id": "r", "site_code": "0", "kind": "consultation", "working": 1}])
    db["guides"].insert_all([{"run_id": "r", "site_code": "0", "url": "u"}])
    return harness.Run(1, truth, db, "r")


def truth_site(findings, columns=None, channels=None):
    for column in (columns or {}).values():
        column.setdefault("shape", "list")
    return {"family": "trs", "scenario": "x", "findings": findings, "columns": columns or {},
            "channels": channels or [], "guides": [], "homepage": "blocks", "perturbations": ["unclosed"]}


def test_scoring_counts_on_hand_made_results(tmp_path):
    truth = {"sites": {
        "1": truth_site(["blank_columns"], {"http://a/x/": {"category": "news", "newest_date": "2019-06-01",
                                                               "blank": False, "stale": False}}),
        "2": truth_site([], {"http://b/y/": {"category": "notice", "newest_date": None, "blank": True, "stale": False}},
                        [{"kind": "consultation", "url": "http://b/mail/", "working": True}]),
        "3": truth_site(["letters_unanswered"]),
    }}
    run = hand_made_run(
        tmp_path, truth,
        sites=[{"site_code": "1", "passed": 0}, {"site_code": "2", "passed": 0}, {"site_code": "3", "passed": 1}],
        findings=[{"site_code": "1", "indicator": "blank_columns",
                   "evidence": json.dumps({"columns": [{"url": "http://a/x/"}]})},
                  {"site_code": "2", "indicator": "no_consultation_channel", "evidence": json.dumps({"channels": []})}],
        columns=[{"site_code": "1", "url": "http://a/x/", "newest_date": "2019-06-01"},
                 {"site_code": "2", "url": "http://b/y/", "newest_date": None, "category": "notice", "pages": 0}])
    veto = harness.measure_veto(run)
    assert veto["blank_columns"] == Counter(tp=1, tn=2)
    assert veto["no_consultation_channel"] == Counter(fp=1, tn=2)
    assert veto["letters_unanswered"] == Counter(fn=1, tn=2)
    rows = {r[0]: r for r in harness.veto_rows(veto)}
    assert rows["`blank_columns`"][4:] == ["1.00", "1.00", "1.00"]
    assert rows["`no_consultation_channel`"][4:6] == ["0.00", "–"]
    assert rows["**all veto codes**"][1:4] == [1, 1, 1]
    assert len(run.misjudged) == 2
    assert "working/unchecked/dead 0/0/0 (truth 1 working)" in run.misjudged[0] and "markup unclosed" in run.misjudged[0]

    sites = harness.measure_sites(run)
    assert sites["verdicts"] == Counter(num=1, den=3)      # site 2 passes in truth and site 3 fails: both missed
    assert sites["found"] == Counter(num=2, den=2) and sites["dates"] == Counter(num=2, den=2)
    assert sites["categories"] == Counter(num=2, den=2)

    families = harness.measure_families(run)
    assert families["trs"] == Counter(sites=3, agree=1, columns=2, found=2, exact=2)
    assert harness.family_rows(families) == [["`trs`", 3, "0.333", "1.000", "1.000"]]

    evidence = harness.measure_evidence(run)
    # site 1: a column read and truly not blank counted as blank; site 2: a working channel of the truth not seen
    assert evidence["contradicted"] == Counter(num=2, den=2)
    assert evidence["unread"] == Counter(num=0, den=2)


def test_tables_are_markdown():
    text = harness.markdown("T", ["a", "b"], [["x", 1]])
    assert text.splitlines()[2:] == ["| a | b |", "|---|---|", "| x | 1 |"]
