"""The report as JSON: the machine-readable form (documented in govcrawl/report/README.md)."""
from __future__ import annotations

import json as _json

from govcrawl.report.model import Report

SCHEMA_VERSION = 1


def render(report: Report) -> str:
    data = {"schema": "govcrawl-report", "version": SCHEMA_VERSION, **report.to_dict()}
    data["tables"] = {t.key: {"title": t.title, "headers": t.headers, "rows": t.rows, "note": t.note}
                      for t in report.tables() + report.apart_tables()}
    return _json.dumps(data, ensure_ascii=False, indent=2)


def write(report: Report, path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(report))
