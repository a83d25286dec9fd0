"""The inspection report: the notice's 附件1–4, 总体情况, evidence per failing site, in md / html / xlsx / json / docx.

`build_report(db, run_id)` reads the database once into a Report; each writer module renders it. Every crawled
string is cleaned once (report/text.py) before a writer sees it.
"""
from __future__ import annotations

import importlib

from govcrawl.report.model import Report, build_report, latest_run
from govcrawl.report.text import cleaned

FORMATS = ("md", "html", "xlsx", "json", "docx")
MODULES = {"md": "markdown", "html": "html", "xlsx": "xlsx", "json": "json", "docx": "docx"}
TEXT_FORMATS = ("md", "html", "json")     # the ones that can go to stdout


def _writer(fmt: str):
    module = MODULES.get(fmt)
    if module is None:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return importlib.import_module(f"govcrawl.report.{module}")


def write_report(report: Report, fmt: str, path) -> None:
    """Write `report` as `fmt` (md | html | xlsx | json | docx) to `path`."""
    _writer(fmt).write(cleaned(report), path)


def render_report(report: Report, fmt: str) -> str:
    """`report` as text (md | html | json)."""
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"{fmt} is not a text format; expected one of {', '.join(TEXT_FORMATS)}")
    return _writer(fmt).render(cleaned(report))


__all__ = ["FORMATS", "Report", "build_report", "latest_run", "render_report", "write_report"]
