"""govcrawl diff RUN_A RUN_B --db DB [--format md|html|xlsx|json --out PATH]"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain table for the terminal, padded by display width (CJK counts double)."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _diff(args) -> int:
    from govcrawl.report import build_report, write_report
    from govcrawl.report.diff import DIFF_HEADERS, diff_runs, summary_line
    from govcrawl.report.safety import mask_report
    from govcrawl.reviews import apply_reviews
    from govcrawl.schema import open_db

    if not Path(args.db).is_file():
        print(f"govcrawl diff: no database at {args.db}", file=sys.stderr)
        return 2
    db = open_db(args.db)
    try:
        for run in (args.run_a, args.run_b):  # an inspector's decisions hold for the same finding in either run
            apply_reviews(db, run)
        diff = mask_report(diff_runs(db, args.run_a, args.run_b))
    except KeyError as exc:
        print(f"govcrawl diff: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.format:
        if not args.out:
            print("govcrawl diff: --format needs --out", file=sys.stderr)
            return 2
        # the re-check report: run B's report with the 复核情况 section
        report = build_report(db, args.run_b)
        report.diff = diff
        write_report(report, args.format, args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    rows = diff.table_rows()
    print(text_table(DIFF_HEADERS, rows) if rows else "（两次检查均未发现问题）")
    print(summary_line(diff))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("diff", help="re-check view: findings fixed / still open / new per site between two runs")
    p.add_argument("run_a", metavar="RUN_A", help="the first inspection")
    p.add_argument("run_b", metavar="RUN_B", help="the re-check")
    p.add_argument("--db", default="govcrawl.db")
    p.add_argument("--format", choices=("md", "html", "xlsx", "json", "docx"),
                   help="also write run B's report with a 复核情况 section")
    p.add_argument("--out", help="file for --format")
    p.set_defaults(func=_diff)
