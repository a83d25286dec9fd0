"""govcrawl replay DIR --port P ; govcrawl record REGISTRY --out DIR"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from govcrawl.runner import parse_settings, run_spider


def _replay(args) -> int:
    from govcrawl.replay.proxy import serve

    return serve(args.fixtures, args.port, args.host)


def _record(args) -> int:
    from govcrawl.replay.record import RecordingProxy

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # the fixture folder carries its registry, so `-a replay=DIR` alone replays it
    shutil.copyfile(args.registry, out / "registry.csv")
    with RecordingProxy(out, upstream_proxy=args.upstream) as recorder:
        print(f"recording into {out} through {recorder.url}", file=sys.stderr)
        return run_spider("provincial", {"GOVCRAWL_DB": args.db, **parse_settings(args.set)},
                          registry=args.registry, as_of=args.as_of, proxy=recorder.url)


def add_parser(sub) -> None:
    replay = sub.add_parser("replay", help="serve recorded fixtures as an HTTP forward proxy on 127.0.0.1")
    replay.add_argument("fixtures", help="a fixture folder (holding hosts/ and manifest.json) or its parent")
    replay.add_argument("--port", type=int, default=8899)
    replay.add_argument("--host", default="127.0.0.1")
    replay.set_defaults(func=_replay)

    record = sub.add_parser("record", help="crawl live sites through a recording proxy into a fixture folder")
    record.add_argument("registry")
    record.add_argument("--out", required=True, help="fixture folder to write")
    record.add_argument("--as-of", dest="as_of", help="monitoring point YYYY-MM-DD (default today, Asia/Shanghai)")
    record.add_argument("--upstream", help="forward through this HTTP proxy instead of connecting directly")
    record.add_argument("--db", default="govcrawl-record.db", help="database of the recording crawl")
    record.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="Scrapy setting for the crawl")
    record.set_defaults(func=_record)
