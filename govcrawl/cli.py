"""The `govcrawl` command. Each subcommand is documented in the README ("Commands")."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path


def _registry_check(args) -> int:
    from govcrawl.registry import check_command

    return check_command(args.file)


def _replay(args) -> int:
    from govcrawl.replay.proxy import serve

    return serve(args.fixtures, args.port, args.host)


def _record(args) -> int:
    from govcrawl.replay.record import RecordingProxy

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # the fixture folder carries its registry, so `-a replay=DIR` alone replays it
    shutil.copyfile(args.registry, out / "registry.csv")
    with RecordingProxy(out, upstream_proxy=args.upstream).start() as recorder:
        print(f"recording into {out} through {recorder.url}", file=sys.stderr)
        return run_spider("provincial", {"GOVCRAWL_DB": args.db, **_set(args.set)},
                          registry=args.registry, as_of=args.as_of, proxy=recorder.url)


def _schema(args) -> int:
    from govcrawl import schema

    for table, spec in schema.TABLES.items():
        print(f"### `{table}`: {spec['doc']}\n\nprimary key ({', '.join(spec['pk'])})\n")
        print("| column | type | meaning |\n|---|---|---|")
        for name, (kind, doc) in spec["columns"].items():
            print(f"| `{name}` | {kind.__name__} | {doc} |")
        print()
    return 0


def _set(pairs: list[str] | None) -> dict:
    out = {}
    for pair in pairs or []:
        name, _, value = pair.partition("=")
        out[name] = value
    return out


def run_spider(name: str, settings: dict, **spider_args) -> int:
    """Run one spider in this process with the project settings; exit status 1 if the crawl did not finish."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "govcrawl.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    project = get_project_settings()
    project.setdict(settings, priority="cmdline")
    process = CrawlerProcess(project)
    crawler = process.create_crawler(name)
    process.crawl(crawler, **{k: v for k, v in spider_args.items() if v is not None})
    process.start()
    reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    return 0 if reason == "finished" else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govcrawl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    registry = sub.add_parser("registry", help="registry tools").add_subparsers(dest="action", required=True)
    check = registry.add_parser("check", help="validate a registry CSV without crawling; exit 1 on bad rows, 2 if unusable")
    check.add_argument("file")
    check.set_defaults(func=_registry_check)

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

    schema = sub.add_parser("schema", help="print the database schema as Markdown")
    schema.set_defaults(func=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
