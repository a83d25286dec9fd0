"""The SQLite schema: every table, its columns and primary key (kept as data in schema.toml). Every row carries its
run_id.

The README's "Schema" section is generated from this module (`govcrawl schema`).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import sqlite_utils

TYPES = {"str": str, "int": int, "float": float}


def _load(path: Path) -> dict[str, dict]:
    """schema.toml as {table: {"pk": (...), "doc": str, "columns": {name: (type, meaning)}}}."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return {table: {"pk": tuple(spec["pk"]), "doc": spec["doc"],
                        "columns": {name: (TYPES[kind], doc) for name, (kind, doc) in spec["columns"].items()}}
                for table, spec in data.items()}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise RuntimeError(f"{path}: not a usable schema ({type(exc).__name__}: {exc})") from exc


TABLES: dict[str, dict] = _load(Path(__file__).with_name("schema.toml"))

# the "type" of a spider item -> its table
TABLE_OF_ITEM = {"site": "sites", "fetch": "fetches", "column": "columns", "entry": "entries", "link": "links",
                 "finding": "findings", "letter": "letters", "guide": "guides",
                 "channel": "channels", "account": "accounts", "post": "posts", "safety": "safety"}


def pk(table: str) -> tuple[str, ...]:
    return TABLES[table]["pk"]


def columns(table: str) -> dict[str, type]:
    return {name: spec[0] for name, spec in TABLES[table]["columns"].items()}


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating) the database with every table of the schema, in WAL mode."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("PRAGMA synchronous=NORMAL")
    for table in TABLES:
        if not db[table].exists():
            db[table].create(columns(table), pk=pk(table))
        else:
            missing = {c: t for c, t in columns(table).items() if c not in db[table].columns_dict}
            for name, kind in missing.items():
                db[table].add_column(name, kind)
    return db
