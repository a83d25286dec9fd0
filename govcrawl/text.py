"""The one text normaliser for what pages and registries say: every run of whitespace, of any width, as one space.

Python's `\\s` already covers the widths government pages use (U+3000 ideographic, U+00A0 no-break, U+2002/U+2003
en/em spaces, tabs, newlines). Comparison keys that drop spaces altogether (guides.label_key, wechat's account-name
key) and the report writers' control-character cleaning (report/text.py: keeps newlines, drops what Word and PDF
cannot show) are other operations and stay where they are used.
"""
from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
ZERO_WIDTH_SPACE = "\u200b"  # invisible but not whitespace to Python: guide values written in Word carry it


def collapse_spaces(text: str | None) -> str:
    """`text` with every whitespace run as one space, stripped ('' for None)."""
    return _SPACE.sub(" ", text or "").strip()
