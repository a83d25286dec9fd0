"""New-media evaluation: generated account sets crawled over HTTPS through the replay proxy, scored against their truth.

    .venv/bin/python bench/eval_newmedia.py --seeds 1 2 3 [--out bench/eval-newmedia.md] [--keep]

Per seed, bench/newmedia_accounts.py writes a replay fixture of ~70 accounts (every kind of its KINDS table, 2–3
of each); `scrapy crawl newmedia -a replay=…` reads it through the replay proxy, which answers m.weibo.cn and
weixin.sogou.com over HTTPS (CONNECT, per-host certificates from its CA), exactly as a user's crawl would. Scored:
per code precision and recall (account_not_updated, account_no_interaction), status accuracy (checked,
unchecked, gone, unsupported), and the number of findings on accounts that cannot be read (truth status not
checked), which must be 0. `evaluate(seed) -> rows` is the importable entry point; `table(rows)` prints them.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent

import newmedia_accounts  # noqa: E402

CODES = (newmedia_accounts.NOT_UPDATED, newmedia_accounts.NO_INTERACTION)
GOALS = {"precision": 1.0, "recall": 0.98, "status accuracy": 0.98, "findings on unread accounts": 0}


def crawl(fixture: Path, db: Path, run: str, timeout: int = 900) -> None:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "newmedia", "-a", f"replay={fixture}",
           "-a", f"as_of={newmedia_accounts.AS_OF.isoformat()}", "-a", f"run={run}", "-s", f"GOVCRAWL_DB={db}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"scrapy crawl newmedia over {fixture} failed ({result.returncode}):\n"
                           f"{result.stderr[-3000:]}")


def crawled(db: Path, run: str) -> dict[str, dict]:
    """account_id -> {status, findings} as the crawl stored them."""
    with sqlite3.connect(db) as conn:
        accounts = {a: {"status": s, "findings": set()}
                    for a, s in conn.execute("select account_id, status from accounts where run_id = ?", [run])}
        for code, indicator in conn.execute("select site_code, indicator from findings where run_id = ?", [run]):
            accounts.setdefault(code, {"status": None, "findings": set()})["findings"].add(indicator)
    return accounts


def score(seed: int, truth: dict, got: dict[str, dict]) -> list[dict]:
    """One row per code (tp, fp, fn, precision, recall), one for status, one for findings on unread accounts."""
    rows, mistakes = [], []
    for code in CODES:
        tp = fp = fn = 0
        for account_id, want in truth["accounts"].items():
            expected = code in want["findings"]
            found = code in got.get(account_id, {}).get("findings", set())
            tp, fp, fn = tp + (expected and found), fp + (found and not expected), fn + (expected and not found)
            if expected != found:
                mistakes.append(f"{account_id} {want['kind']}: {code} {'missed' if expected else 'false'}")
        rows.append({"seed": seed, "measure": code, "tp": tp, "fp": fp, "fn": fn,
                     "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0})
    right = 0
    for account_id, want in truth["accounts"].items():
        status = got.get(account_id, {}).get("status")
        right += status == want["status"]
        if status != want["status"]:
            mistakes.append(f"{account_id} {want['kind']}: status {status} (expected {want['status']})")
    rows.append({"seed": seed, "measure": "status accuracy", "right": right, "accounts": len(truth["accounts"]),
                 "value": right / len(truth["accounts"])})
    unread = sum(len(got.get(a, {}).get("findings", ())) for a, want in truth["accounts"].items()
                 if want["status"] != "checked")
    rows.append({"seed": seed, "measure": "findings on unread accounts", "value": unread, "mistakes": mistakes})
    return rows


def evaluate(seed: int, work: Path | None = None) -> list[dict]:
    """Generate seed's account set, crawl it through the replay proxy, score it."""
    with tempfile.TemporaryDirectory(prefix=f"nm-eval-{seed}-") as tmp:
        base = Path(work) if work else Path(tmp)
        fixture, db = base / f"accounts-{seed}", base / f"eval-{seed}.db"
        truth = newmedia_accounts.AccountSet(seed).write(fixture)
        db.unlink(missing_ok=True)
        crawl(fixture, db, f"eval{seed}")
        return score(seed, truth, crawled(db, f"eval{seed}"))


def table(rows: list[dict]) -> str:
    """A Markdown table: per seed and over all seeds, with each goal and whether it holds."""
    lines = ["| seed | measure | tp | fp | fn | precision | recall | value |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["measure"] in CODES:
            lines.append(f"| {r['seed']} | {r['measure']} | {r['tp']} | {r['fp']} | {r['fn']} | "
                         f"{r['precision']:.2f} | {r['recall']:.2f} | |")
        elif r["measure"] == "status accuracy":
            lines.append(f"| {r['seed']} | status accuracy | | | | | | {r['value']:.3f} ({r['right']}/{r['accounts']}) |")
        else:
            lines.append(f"| {r['seed']} | findings on unread accounts | | | | | | {r['value']} |")
    lines += ["", "| over all seeds | value | goal | holds |", "|---|---|---|---|"]
    for code in CODES:
        mine = [r for r in rows if r["measure"] == code]
        tp, fp, fn = (sum(r[k] for r in mine) for k in ("tp", "fp", "fn"))
        precision, recall = tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0
        lines.append(f"| {code} precision | {precision:.2f} | 1.00 | {'yes' if precision >= 1.0 else 'NO'} |")
        lines.append(f"| {code} recall | {recall:.2f} | ≥ 0.98 | {'yes' if recall >= 0.98 else 'NO'} |")
    status = [r for r in rows if r["measure"] == "status accuracy"]
    accuracy = sum(r["right"] for r in status) / max(1, sum(r["accounts"] for r in status))
    lines.append(f"| status accuracy | {accuracy:.3f} | ≥ 0.98 | {'yes' if accuracy >= 0.98 else 'NO'} |")
    unread = sum(r["value"] for r in rows if r["measure"] == "findings on unread accounts")
    lines.append(f"| findings on unread accounts | {unread} | 0 | {'yes' if unread == 0 else 'NO'} |")
    return "\n".join(lines)


def mistakes(rows: list[dict]) -> list[str]:
    return [f"seed {r['seed']}: {m}" for r in rows for m in r.get("mistakes", [])]


def write_results(path: Path, command: str, text: str) -> None:
    """Replace the part between the markers of `path` (created when missing), keeping the notes around it."""
    begin, end = "<!-- eval-newmedia:begin -->", "<!-- eval-newmedia:end -->"
    block = f"{begin}\n```\n{command}\n```\n\n{text}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else f"# New-media evaluation\n\n{begin}\n{end}\n"
    head, _, rest = old.partition(begin)
    _, _, tail = rest.partition(end)
    path.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--out", help="write the table into this Markdown file (between its eval-newmedia markers)")
    parser.add_argument("--keep", help="keep the fixtures and databases in this folder")
    args = parser.parse_args(argv)
    rows = []
    for seed in args.seeds:
        rows += evaluate(seed, Path(args.keep) if args.keep else None)
    text = table(rows)
    print(text)
    for line in mistakes(rows):
        print(line)
    if args.out:
        command = "python bench/eval_newmedia.py --seeds " + " ".join(map(str, args.seeds))
        write_results(Path(args.out), command, text)
    holds = "NO |" not in text
    return 0 if holds else 1


if __name__ == "__main__":
    raise SystemExit(main())
