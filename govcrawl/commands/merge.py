"""govcrawl merge --run RUN_ID --redis URL --out FINAL.db WORKER.db...: combine a distributed run's databases."""
from __future__ import annotations

import sys


def _merge(args) -> int:
    from govcrawl.distributed.connection import connect
    from govcrawl.distributed.merge import MergeError, merge

    try:
        result = merge(connect(args.redis), args.run, args.databases, args.out, partial=args.partial)
    except MergeError as exc:
        print(f"govcrawl merge: {exc}", file=sys.stderr)
        return 1
    for path, count in sorted(result.sources.items()):
        print(f"{path}: {count} sites")
    print(f"{args.out}: run {args.run}, {result.sites} sites merged"
          + (f", {len(result.missing)} without an acknowledged copy (--partial)" if result.missing else ""))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("merge", help="combine the workers' databases of a distributed run, acknowledged sites only")
    p.add_argument("databases", nargs="+", help="the workers' GOVCRAWL_DB files")
    p.add_argument("--run", required=True)
    p.add_argument("--redis", required=True, help="the run's Redis, which knows which copy of each site counts")
    p.add_argument("--out", required=True, help="database to write (the run is replaced in it)")
    p.add_argument("--partial", action="store_true", help="merge although some sites have no acknowledged copy")
    p.set_defaults(func=_merge)
