"""govcrawl worker --redis URL --run RUN_ID [--db FILE] [-s NAME=VALUE]: one worker of a distributed run.

The same as `scrapy crawl provincial -s REDIS_URL=URL -a run=RUN_ID`; `--status` prints the run's progress instead.
"""
from __future__ import annotations

import json
import sys

from govcrawl.runner import parse_settings, run_spider


def _worker(args) -> int:
    if args.status:
        from govcrawl.distributed.connection import connect
        from govcrawl.distributed.seeding import progress

        print(json.dumps(progress(connect(args.redis), args.run), ensure_ascii=False, indent=2))
        return 0
    settings = {"REDIS_URL": args.redis, "GOVCRAWL_DB": args.db, **parse_settings(args.set)}
    try:
        return run_spider("provincial", settings, run=args.run, proxy=args.proxy)
    except ValueError as exc:   # run not seeded, as_of mismatch ...
        print(f"govcrawl worker: {exc}", file=sys.stderr)
        return 2


def add_parser(sub) -> None:
    p = sub.add_parser("worker", help="crawl host groups of a distributed run until the run is complete")
    p.add_argument("--redis", required=True, help="redis://HOST:6379/0, the Redis `govcrawl enqueue` seeded")
    p.add_argument("--run", required=True)
    p.add_argument("--db", default="worker.db", help="this worker's database (merge them with `govcrawl merge`)")
    p.add_argument("--proxy", help="fetch through this HTTP proxy (e.g. a `govcrawl replay` server)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy/govcrawl setting")
    p.add_argument("--status", action="store_true", help="print the run's progress as JSON and exit")
    p.set_defaults(func=_worker)
