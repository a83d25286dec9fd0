"""Evaluation harness: generated provinces, crawled through the replay proxy, scored against their truth.

    .venv/bin/python bench/eval.py                       # default seeds, tables on stdout
    .venv/bin/python bench/eval.py --seeds 1 2 --sites 12 --out bench/eval.md --keep

For each seed, `evalgen` writes a province into a temp folder (hosts/, manifest.json, registry.csv, truth.json),
`scrapy crawl provincial -a replay=DIR -a as_of=T` crawls it exactly as tests/conftest.py `crawl()` does (no
politeness delays), and each evaluation SECTION measures the crawl's database against the truth. A section is
a `Section(title, header, measure, rows)`: `measure(run)` returns counters per row key (so seeds add up into the
aggregate), `rows(counters)` turns them into table cells. Add a section by appending one to SECTIONS.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import sqlite_utils  # noqa: E402

from evalgen import generate  # noqa: E402
from evalgen.plan import VETO_CODES  # noqa: E402
from evalgen.safety import CODES as SAFETY_CODES  # noqa: E402
from govcrawl.scope import normalize_url  # noqa: E402

DEFAULT_SEEDS = (1, 2, 3, 4, 5)
DEFAULT_SITES = 28
COLUMN_CODES = ("blank_columns", "columns_not_updated", "columns_long_stale")


@dataclass
class Run:
    """One seed: its province's truth and the crawl's database."""
    seed: int
    truth: dict
    db: sqlite_utils.Database
    run_id: str
    seconds: float = 0.0
    misjudged: list[str] = field(default_factory=list)

    def query(self, sql: str, *params) -> list[dict]:
        """Rows of `sql`, whose first parameter is the run id."""
        return list(self.db.query(sql, [self.run_id, *params]))


@dataclass
class Section:
    title: str
    header: list[str]
    measure: Callable[[Run], dict[str, Counter]]
    rows: Callable[[dict[str, Counter]], list[list[str]]]


# -- shared formatting ---------------------------------------------------------------------------------------
def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "–"


def markdown(title: str, header: list[str], rows: list[list[str]]) -> str:
    lines = [f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def add(total: dict[str, Counter], part: dict[str, Counter]) -> None:
    for key, counts in part.items():
        total.setdefault(key, Counter()).update(counts)


# -- section: veto indicators --------------------------------------------------------------------------------
def got_findings(run: Run) -> dict[str, set[str]]:
    got: dict[str, set[str]] = {}
    for r in run.query("select site_code, indicator from findings where run_id = ? and veto = 1"):
        got.setdefault(r["site_code"], set()).add(r["indicator"])
    return got


def measure_veto(run: Run) -> dict[str, Counter]:
    got = got_findings(run)
    out = {code: Counter() for code in VETO_CODES}
    for site_code, site in run.truth["sites"].items():
        expected, found = set(site["findings"]), got.get(site_code, set())
        for code in VETO_CODES:
            key = ("tp" if code in found else "fn") if code in expected else ("fp" if code in found else "tn")
            out[code][key] += 1
        if expected != found:
            run.misjudged.append(f"{site_code} {site['family']} {site['scenario']}: expected {sorted(expected)}, "
                                 f"got {sorted(found)} ({diagnose(run, site_code, site)})")
    return out


def diagnose(run: Run, site_code: str, site: dict) -> str:
    """What the crawl saw of a misjudged site, next to the truth: a first hint at the class of the miss."""
    rows = {normalize_url(r["url"]): r for r in run.query(
        "select url, newest_date, entries from columns where run_id = ? and site_code = ? and role = 'column'", site_code)}
    truth_urls = {normalize_url(u): c for u, c in site["columns"].items()}
    found = [u for u in truth_urls if u in rows]
    exact = sum(rows[u]["newest_date"] == truth_urls[u]["newest_date"] for u in found)
    empty = sum(not rows[u]["entries"] and truth_urls[u]["shape"] in ("list", "undated") for u in found)
    home = run.query("select entries from columns where run_id = ? and site_code = ? and role = 'homepage'", site_code)
    channels = run.query("select working from channels where run_id = ? and site_code = ? and kind = 'consultation'",
                         site_code)
    guides = run.query("select count(*) n from guides where run_id = ? and site_code = ?", site_code)[0]["n"]
    return (f"homepage {site['homepage']}, entries read {home[0]['entries'] if home else '–'}; columns found "
            f"{len(found)}/{len(truth_urls)}, {len(rows) - len(found)} extra, {exact} dates exact, {empty} lists read "
            f"empty; consultation channels working/unchecked/dead "
            f"{sum(c['working'] == 1 for c in channels)}/{sum(c['working'] is None for c in channels)}/"
            f"{sum(c['working'] == 0 for c in channels)} (truth {sum(c['kind'] == 'consultation' and c['working'] for c in site['channels'])} working); "
            f"guides read {guides}/{len(site['guides'])}; markup {'+'.join(site['perturbations'])}")


def veto_rows(counts: dict[str, Counter]) -> list[list[str]]:
    rows = []
    total = Counter()
    for code in VETO_CODES:
        c = counts.get(code, Counter())
        total.update(c)
        rows.append(_prf_row(f"`{code}`", c))
    rows.append(_prf_row("**all veto codes**", total))
    return rows


def _prf_row(name: str, c: Counter) -> list[str]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p, r = (tp / (tp + fp) if tp + fp else None), (tp / (tp + fn) if tp + fn else None)
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    show = lambda x: "–" if x is None else f"{x:.2f}"  # noqa: E731
    return [name, tp, fp, fn, show(p), show(r), show(f1)]


# -- section: sites and columns ------------------------------------------------------------------------------
def measure_sites(run: Run) -> dict[str, Counter]:
    passed = {r["site_code"]: r["passed"] for r in run.query("select site_code, passed from sites where run_id = ?")}
    columns = {(r["site_code"], normalize_url(r["url"])): r for r in
               run.query("select site_code, url, category, newest_date from columns where run_id = ? and role = 'column'")}
    out = {k: Counter() for k in ("verdicts", "found", "dates", "categories")}
    for code, site in run.truth["sites"].items():
        truth_pass = not site["findings"]
        out["verdicts"]["den"] += 1
        out["verdicts"]["num"] += passed.get(code) is not None and bool(passed[code]) == truth_pass
        for url, col in site["columns"].items():
            row = columns.get((code, normalize_url(url)))
            out["found"]["den"] += 1
            if row is None:
                continue
            out["found"]["num"] += 1
            out["dates"]["den"] += 1
            out["dates"]["num"] += row["newest_date"] == col["newest_date"]
            out["categories"]["den"] += 1
            out["categories"]["num"] += row["category"] == col["category"]
    return out


SITE_ROWS = {"verdicts": "site verdicts (pass/fail) agree", "found": "truth columns found",
             "dates": "found columns: newest date day-exact", "categories": "found columns: category agrees"}


def site_rows(counts: dict[str, Counter]) -> list[list[str]]:
    return [[label, counts.get(k, Counter())["num"], counts.get(k, Counter())["den"],
             ratio(counts.get(k, Counter())["num"], counts.get(k, Counter())["den"])] for k, label in SITE_ROWS.items()]


# -- section: by CMS family ----------------------------------------------------------------------------------
def measure_families(run: Run) -> dict[str, Counter]:
    """Verdicts and columns per CMS family of the generator: where a family's markup defeats the crawl."""
    passed = {r["site_code"]: r["passed"] for r in run.query("select site_code, passed from sites where run_id = ?")}
    columns = {(r["site_code"], normalize_url(r["url"])): r["newest_date"] for r in
               run.query("select site_code, url, newest_date from columns where run_id = ? and role = 'column'")}
    out: dict[str, Counter] = {}
    for code, site in run.truth["sites"].items():
        c = out.setdefault(site["family"], Counter())
        c["sites"] += 1
        c["agree"] += passed.get(code) is not None and bool(passed[code]) == (not site["findings"])
        for url, col in site["columns"].items():
            key = (code, normalize_url(url))
            c["columns"] += 1
            c["found"] += key in columns
            c["exact"] += key in columns and columns[key] == col["newest_date"]
    return out


def family_rows(counts: dict[str, Counter]) -> list[list[str]]:
    return [[f"`{family}`", c["sites"], ratio(c["agree"], c["sites"]), ratio(c["found"], c["columns"]),
             ratio(c["exact"], c["found"])] for family, c in sorted(counts.items())]


# -- section: evidence of veto findings ----------------------------------------------------------------------
def _column_read(row: dict | None) -> bool:
    return row is not None and (row["pages"] or 0) > 0 and (row["http_status"] is None or 200 <= row["http_status"] < 300) \
        and not row["blocked"]


def measure_evidence(run: Run) -> dict[str, Counter]:
    """Veto findings whose evidence names a column or channel that was not read (by the crawl's own record), or that
    the truth contradicts (a column counted blank or stale that is not, or that is no column at all; a working
    consultation channel of the truth that the crawl did not see working)."""
    columns = {(r["site_code"], normalize_url(r["url"])): r for r in
               run.query("select site_code, url, pages, http_status, blocked from columns where run_id = ?")}
    out = {"unread": Counter(), "contradicted": Counter()}
    for f in run.query("select site_code, indicator, evidence from findings where run_id = ? and veto = 1"):
        site = run.truth["sites"].get(f["site_code"])
        evidence = json.loads(f["evidence"] or "{}")
        unread = contradicted = False
        if f["indicator"] in COLUMN_CODES:
            for col in evidence.get("columns", []):
                key = (f["site_code"], normalize_url(col["url"]))
                unread |= not _column_read(columns.get(key))
                truth_col = site and site["columns"].get(next((u for u in site["columns"] if normalize_url(u) == key[1]), ""))
                if not truth_col:   # no such column (a pager or article link taken for one)
                    contradicted = True
                else:
                    wrong = not truth_col["blank"] if f["indicator"] == "blank_columns" else not truth_col["stale"]
                    contradicted |= wrong
        elif f["indicator"] == "no_consultation_channel":
            seen_working = set()
            for ch in evidence.get("channels", []):
                if ch.get("kind") == "consultation":
                    unread |= ch.get("working") is None
                    if ch.get("working"):
                        seen_working.add(normalize_url(ch["url"]))
            # a working consultation channel of the truth that the crawl did not see working (not found, or misread)
            contradicted |= bool(site) and any(c["kind"] == "consultation" and c["working"]
                                               and normalize_url(c["url"]) not in seen_working for c in site["channels"])
        out["unread"]["den"] += 1
        out["unread"]["num"] += unread
        out["contradicted"]["den"] += 1
        out["contradicted"]["num"] += contradicted
    return out


EVIDENCE_ROWS = {"unread": "veto findings relying on a column/channel not read (crawl's record)",
                 "contradicted": "veto findings relying on a column/channel the truth contradicts"}


def evidence_rows(counts: dict[str, Counter]) -> list[list[str]]:
    return [[label, counts.get(k, Counter())["num"], counts.get(k, Counter())["den"]] for k, label in EVIDENCE_ROWS.items()]


# -- section: content-safety review codes (issue 17) ---------------------------------------------------------
def measure_safety(run: Run) -> dict[str, Counter]:
    """Per review code: sites built to raise it (TP/FN), every other site (FP/TN), and its near-miss sites (silent)."""
    marks = ",".join("?" * len(SAFETY_CODES))
    got: dict[str, set[str]] = {}
    for r in run.query(f"select site_code, indicator from findings where run_id = ? and indicator in ({marks})",
                       *SAFETY_CODES):
        got.setdefault(r["site_code"], set()).add(r["indicator"])
    out = {code: Counter() for code in SAFETY_CODES}
    for site_code, site in run.truth["sites"].items():
        expected, found = set(site.get("review_safety", [])), got.get(site_code, set())
        for code in SAFETY_CODES:
            key = ("tp" if code in found else "fn") if code in expected else ("fp" if code in found else "tn")
            out[code][key] += 1
            if code in site.get("safety_near_miss", []):
                out[code]["near"] += 1
                out[code]["near_silent"] += code not in found
        if expected != found:
            run.misjudged.append(f"{site_code} {site['family']} content safety: expected {sorted(expected)}, "
                                 f"got {sorted(found)}")
    return out


def safety_rows(counts: dict[str, Counter]) -> list[list[str]]:
    rows, total = [], Counter()
    for code in SAFETY_CODES:
        c = counts.get(code, Counter())
        total.update(c)
        rows.append(_prf_row(f"`{code}`", c) + [f"{c['near_silent']}/{c['near']}"])
    return rows + [_prf_row("**all content-safety codes**", total) + [f"{total['near_silent']}/{total['near']}"]]


SECTIONS = [
    Section("Veto indicators", ["code", "TP", "FP", "FN", "precision", "recall", "F1"], measure_veto, veto_rows),
    Section("Sites and columns", ["measure", "agree", "of", "share"], measure_sites, site_rows),
    Section("By CMS family", ["family", "sites", "verdicts agree", "columns found", "dates day-exact"],
            measure_families, family_rows),
    Section("Evidence of veto findings", ["check", "findings", "of veto findings"], measure_evidence, evidence_rows),
    Section("Content-safety review codes", ["code", "TP", "FP", "FN", "precision", "recall", "F1", "near misses silent"],
            measure_safety, safety_rows),
]


# -- running -------------------------------------------------------------------------------------------------
def crawl(fixtures: Path, db: Path, as_of: str, run_id: str, timeout: int = 1800) -> subprocess.CompletedProcess:
    """`scrapy crawl provincial` through the replay proxy, as tests/conftest.py crawl() runs it."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", f"replay={fixtures}", "-a", f"as_of={as_of}",
           "-a", f"run={run_id}", "-s", f"GOVCRAWL_DB={db}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
           "-s", "LOG_LEVEL=WARNING"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def evaluate_seed(seed: int, sites: int, work: Path) -> Run:
    fixtures = work / f"province-{seed}"
    truth = generate(seed, sites, fixtures)
    db = work / f"eval-{seed}.db"
    started = time.monotonic()
    result = crawl(fixtures, db, truth["as_of"], f"eval-{seed}")
    if result.returncode != 0:
        raise SystemExit(f"crawl of seed {seed} failed (exit {result.returncode}):\n{result.stderr[-4000:]}")
    return Run(seed, truth, sqlite_utils.Database(db), f"eval-{seed}", time.monotonic() - started)


def report(runs: list[Run], command: str) -> str:
    parts = [f"Command: `{command}`", ""]
    totals: list[dict[str, Counter]] = [{} for _ in SECTIONS]
    for run in runs:
        parts.append(f"### Seed {run.seed} ({len(run.truth['sites'])} sites, T = {run.truth['as_of']}, "
                     f"crawl {run.seconds:.0f} s)\n")
        for i, section in enumerate(SECTIONS):
            counts = section.measure(run)
            add(totals[i], counts)
            parts.append(markdown(section.title, section.header, section.rows(counts)))
        if run.misjudged:
            parts.append("Misjudged sites:\n\n" + "\n".join(f"- {m}" for m in run.misjudged) + "\n")
    if len(runs) > 1:
        parts.append(f"### Aggregate over seeds {', '.join(str(r.seed) for r in runs)}\n")
        for section, counts in zip(SECTIONS, totals):
            parts.append(markdown(section.title, section.header, section.rows(counts)))
    return "\n".join(parts)


def write_out(path: Path, text: str) -> None:
    head = ("# Evaluation: generated provinces\n\n`make eval` writes this file (see bench/README.md, \"Evaluation\"). "
            "Each seed is a province made by `bench/evalgen`, crawled through the replay proxy and scored against the "
            "generator's truth.\n\n")
    path.write_text(head + text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--sites", type=int, default=DEFAULT_SITES, help="sites per province")
    parser.add_argument("--out", type=Path, help="also write the tables to this markdown file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (provinces, databases)")
    args = parser.parse_args(argv)
    command = "python bench/eval.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    work = Path(tempfile.mkdtemp(prefix="govcrawl-eval-"))
    try:
        runs = []
        for seed in args.seeds:
            runs.append(evaluate_seed(seed, args.sites, work))
            print(f"seed {seed}: crawled in {runs[-1].seconds:.0f} s", file=sys.stderr)
        text = report(runs, command.strip())
        print(text)
        if args.out:
            write_out(args.out, text)
    finally:
        if args.keep:
            print(f"work folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
