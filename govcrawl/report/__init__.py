"""The inspection report: the notice's 附件1–4, 总体情况, evidence per failing site, in md / html / xlsx / json.

`build_report(db, run_id)` reads the database once into a Report; each writer module renders it.
"""
from __future__ import annotations

from govcrawl.report.model import Report, build_report, latest_run

FORMATS = ("md", "html", "xlsx", "json")


def write_report(report: Report, fmt: str, path) -> None:
    """Write `report` as `fmt` (md | html | xlsx | json) to `path`."""
    import importlib

    module = {"md": "markdown", "html": "html", "xlsx": "xlsx", "json": "json"}.get(fmt)
    if module is None:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    importlib.import_module(f"govcrawl.report.{module}").write(report, path)


__all__ = ["FORMATS", "Report", "build_report", "latest_run", "write_report"]
