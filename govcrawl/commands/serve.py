"""govcrawl serve --db DB [--host H] [--port P] [--metadata-out PATH]: browse the database in Datasette."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def write_metadata(db_path: str, out: str | Path) -> Path:
    import sqlite_utils

    from govcrawl.report.browse import metadata

    tables = sqlite_utils.Database(db_path).table_names()
    out = Path(out)
    out.write_text(json.dumps(metadata(Path(db_path).stem, tables), ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def _serve(args) -> int:
    if not Path(args.db).is_file():
        print(f"govcrawl serve: no database at {args.db}", file=sys.stderr)
        return 2
    from govcrawl.runstate import mark_interrupted
    from govcrawl.schema import open_db

    mark_interrupted(open_db(args.db))   # a killed run shows as interrupted in Datasette too (which only reads)
    if args.metadata_out:
        print(write_metadata(args.db, args.metadata_out))
        return 0
    meta = write_metadata(args.db, Path(tempfile.mkdtemp(prefix="govcrawl-serve-")) / "metadata.json")
    cmd = [sys.executable, "-m", "datasette", "serve", str(args.db), "--metadata", str(meta),
           "--host", args.host, "--port", str(args.port), "--setting", "sql_time_limit_ms", "5000"]
    if args.open:
        cmd.append("--open")
    sys.stdout.flush(), sys.stderr.flush()
    os.execv(sys.executable, cmd)   # Datasette takes over this process: Ctrl-C / SIGTERM stop it directly


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="browse the database in Datasette (Chinese labels, facets, a query per 附件)")
    p.add_argument("--db", default="govcrawl.db")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--open", action="store_true", help="open a browser")
    p.add_argument("--metadata-out", dest="metadata_out", help="only write the Datasette metadata.json here and exit")
    p.set_defaults(func=_serve)
