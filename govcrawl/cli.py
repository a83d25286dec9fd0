"""The `govcrawl` command. Each subcommand lives in govcrawl/commands/<name>.py and is documented in the README."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from govcrawl import commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govcrawl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # every module of govcrawl.commands defines add_parser(sub); they are listed in name order
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
