"""A printable table: what every writer knows how to render."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    url_columns: tuple[int, ...] = field(default=())   # cells that are URLs (HTML links them)
    count_columns: tuple[int, ...] | None = None     # cells that are counts (XLSX: numbers); None: digits are counts
    percent_columns: tuple[int, ...] = field(default=())   # cells like '12.34%' (XLSX: numbers formatted 0.00%)
