"""govcrawl schema"""
from __future__ import annotations


def markdown() -> str:
    from govcrawl import schema

    out = []
    for table, spec in schema.TABLES.items():
        out.append(f"### `{table}`: {spec['doc']}\n\nprimary key ({', '.join(spec['pk'])})\n")
        out.append("| column | type | meaning |\n|---|---|---|")
        out.extend(f"| `{name}` | {kind.__name__} | {doc} |" for name, (kind, doc) in spec["columns"].items())
        out.append("")
    return "\n".join(out)


def _schema(args) -> int:
    print(markdown())
    return 0


def add_parser(sub) -> None:
    sub.add_parser("schema", help="print the database schema as Markdown").set_defaults(func=_schema)
