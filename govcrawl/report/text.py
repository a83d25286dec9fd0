"""Crawled strings made safe for every writer, once, before any of them sees the report.

Removed, because no output can show them and some (XML, hence XLSX and DOCX) cannot even hold them: C0 and C1
control characters other than tab and newline, lone surrogates, U+FFFE/U+FFFF. Removed too: the bidirectional
embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): left in a cell they reverse the text
after it, so a reader would see something the page did not say. The plain marks U+200E/U+200F stay. A carriage
return becomes the line break it shows as (XML would turn it into a space or a break anyway).
Everything else is kept as it was; length is each writer's concern (an XLSX cell holds 32,767 characters).
"""
from __future__ import annotations

import dataclasses
import re

_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    return _UNSHOWABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def map_strings(value, fn):
    """`value` with `fn` applied to every string inside it: dataclasses, lists, tuples and dicts are walked, in
    place for dataclasses (the report is built for writing), rebuilt for containers."""
    if isinstance(value, str):
        return fn(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            setattr(value, f.name, map_strings(getattr(value, f.name), fn))
        return value
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    if isinstance(value, tuple):
        return tuple(map_strings(v, fn) for v in value)
    if isinstance(value, dict):
        return {map_strings(k, fn): map_strings(v, fn) for k, v in value.items()}
    return value


def cleaned(value):
    """`value` with every string inside it cleaned of what cannot be shown."""
    return map_strings(value, clean)


def display_width(value) -> int:
    """Columns a text takes in a table cell: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value or ""))
