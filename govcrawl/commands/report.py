"""govcrawl report --db DB [--run RUN] [--newmedia-run RUN] --format md|html|xlsx|json|docx --out PATH
govcrawl report --db DB --per-unit DIR --format docx|html: one rectification notice (整改通知) per failing unit"""
from __future__ import annotations

import sys
from pathlib import Path

PER_UNIT_FORMATS = ("docx", "html")


def _build(args):
    """The report, and a line saying which runs it is of (or an exit code)."""
    import sqlite_utils

    from govcrawl.report import build_report
    from govcrawl.runstate import mark_interrupted
    from govcrawl.schema import open_db

    if not Path(args.db).is_file():
        print(f"govcrawl report: no database at {args.db}", file=sys.stderr)
        return 2
    mark_interrupted(open_db(args.db))
    try:
        report = build_report(sqlite_utils.Database(args.db), args.run, args.newmedia_run)
    except KeyError as exc:
        print(f"govcrawl report: {exc.args[0]}", file=sys.stderr)
        return 2
    which = "as named" if args.run else "the latest finished website run"
    media = f", new media from {report.newmedia_run}" if report.newmedia_run else ", no new-media run"
    print(f"report of run {report.run_id} ({which}, as_of {report.as_of}, {report.run_status}){media}", file=sys.stderr)
    if report.status_note:
        print(f"govcrawl report: warning: run {report.run_id} is {report.run_status}; its numbers are partial",
              file=sys.stderr)
    return report


def _report(args) -> int:
    from govcrawl.report import render_report, write_report

    fmt = args.format or (Path(args.out).suffix.lstrip(".").replace("markdown", "md") if args.out else "md")
    if args.per_unit and fmt not in PER_UNIT_FORMATS:
        print(f"govcrawl report: --per-unit writes {' or '.join(PER_UNIT_FORMATS)}, not {fmt}", file=sys.stderr)
        return 2
    if not args.out and not args.per_unit and fmt in ("xlsx", "docx"):
        print(f"govcrawl report: --format {fmt} needs --out", file=sys.stderr)
        return 2
    report = _build(args)
    if isinstance(report, int):
        return report
    if args.per_unit:
        from govcrawl.report.notices import write_notices

        paths = write_notices(report, fmt, Path(args.per_unit))
        print(f"wrote {len(paths)} rectification notices to {args.per_unit} ({fmt})", file=sys.stderr)
    if args.out:
        write_report(report, fmt, args.out)
        print(f"wrote {args.out} ({fmt}, run {report.run_id}, {len(report.annex2)} failing sites)", file=sys.stderr)
    elif not args.per_unit:
        sys.stdout.write(render_report(report, fmt))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write the inspection notice's 附件1–4 with evidence (md, html, xlsx, json, docx)")
    p.add_argument("--db", default="govcrawl.db")
    p.add_argument("--run", help="website run (default: the latest finished run holding sites; an interrupted run "
                                 "only when named)")
    p.add_argument("--newmedia-run", dest="newmedia_run",
                   help="new-media run for 附件3/4 (default: the latest finished newmedia run with the same as_of, "
                        "else the latest finished newmedia run)")
    p.add_argument("--format", choices=("md", "html", "xlsx", "json", "docx"),
                   help="output format (default: from the --out suffix, else md)")
    p.add_argument("--out", help="file to write (default: stdout; required for xlsx and docx)")
    p.add_argument("--per-unit", dest="per_unit", metavar="DIR",
                   help="also write one rectification notice (整改通知) per unit with failing sites or accounts "
                        "into DIR, as docx or html (--format)")
    p.set_defaults(func=_report)
