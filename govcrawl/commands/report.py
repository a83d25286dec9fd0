"""govcrawl report --db DB [--run RUN] [--newmedia-run RUN] --format md|html|xlsx|json --out PATH"""
from __future__ import annotations

import sys
from pathlib import Path


def _report(args) -> int:
    import sqlite_utils

    from govcrawl.report import build_report, write_report

    if not Path(args.db).is_file():
        print(f"govcrawl report: no database at {args.db}", file=sys.stderr)
        return 2
    try:
        report = build_report(sqlite_utils.Database(args.db), args.run, args.newmedia_run)
    except KeyError as exc:
        print(f"govcrawl report: {exc.args[0]}", file=sys.stderr)
        return 2
    fmt = args.format or (Path(args.out).suffix.lstrip(".").replace("markdown", "md") if args.out else "md")
    if args.out:
        write_report(report, fmt, args.out)
        print(f"wrote {args.out} ({fmt}, run {report.run_id}, {len(report.annex2)} failing sites)", file=sys.stderr)
    elif fmt == "xlsx":
        print("govcrawl report: --format xlsx needs --out", file=sys.stderr)
        return 2
    else:
        from importlib import import_module

        module = {"md": "markdown", "html": "html", "json": "json"}[fmt]
        sys.stdout.write(import_module(f"govcrawl.report.{module}").render(report))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="write the inspection notice's 附件1–4 with evidence (md, html, xlsx, json)")
    p.add_argument("--db", default="govcrawl.db")
    p.add_argument("--run", help="website run (default: the latest run holding sites)")
    p.add_argument("--newmedia-run", dest="newmedia_run",
                   help="new-media run for 附件3/4 (default: the latest newmedia run with the same as_of)")
    p.add_argument("--format", choices=("md", "html", "xlsx", "json"),
                   help="output format (default: from the --out suffix, else md)")
    p.add_argument("--out", help="file to write (default: stdout; required for xlsx)")
    p.set_defaults(func=_report)
