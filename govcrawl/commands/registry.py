"""govcrawl registry check FILE"""
from __future__ import annotations


def _check(args) -> int:
    from govcrawl.registry import check_command

    return check_command(args.file)


def add_parser(sub) -> None:
    registry = sub.add_parser("registry", help="registry tools").add_subparsers(dest="action", required=True)
    check = registry.add_parser("check", help="validate a registry CSV without crawling; exit 1 on bad rows, 2 if unusable")
    check.add_argument("file")
    check.set_defaults(func=_check)
