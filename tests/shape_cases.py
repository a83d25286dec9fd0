"""Saved pages with expected output, one layout: <case>/inputs/page.<ext> and <case>/expected.json. The page-shape
families' cases are tests/pages/shapes/<family>/<case>/ (expected.json: url, as_of and what the registry must give:
entries, blank_marker, has_scripts_without_list, next_pages with max_pages; or state, reason and marker of a list
page without entries); navigation's are tests/pages/nav/<case>/.
A plug-in family keeps its cases in the same layout next to its module (tests/shapes_plugin/cases/)."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from govcrawl.dates import DateParser
from govcrawl.extract.emptystate import list_page_state
from govcrawl.extract.page import Page
from govcrawl.shapes import next_pages, read_listing

SHAPES = Path(__file__).parent / "pages" / "shapes"


def spec_of(case: Path) -> dict:
    return json.loads((case / "expected.json").read_text(encoding="utf-8"))


def shape_cases(root: Path = SHAPES, having: str | None = None) -> list[Path]:
    """Every <family>/<case> folder under root, or those whose expected.json states `having`."""
    cases = sorted(p.parent for p in root.glob("*/*/expected.json"))
    return [c for c in cases if having is None or having in spec_of(c)]


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def load_case(case: Path) -> tuple[Page, dict]:
    spec = spec_of(case)
    (page_file,) = (case / "inputs").glob("page.*")
    return Page(spec["url"], page_file.read_text(encoding="utf-8")), spec


def replay(case: Path) -> tuple[dict, dict]:
    """(what the registry gives, what expected.json states), over the keys expected.json states."""
    page, spec = load_case(case)
    got: dict = {}
    listing = read_listing(page, DateParser(datetime.date.fromisoformat(spec["as_of"])))
    if "state" in spec:  # how a list page that gave no entries was read (its empty state, or why it is unread)
        found = list_page_state(page, listing, spec.get("rendered", False))
        got |= {"state": found.state, "reason": found.reason, "marker": found.marker}
    if "entries" in spec:
        got["entries"] = [{"title": e.title, "url": e.url, "date": e.date.isoformat() if e.date else None}
                          for e in listing.entries]
        got |= {"blank_marker": listing.blank_marker, "has_scripts_without_list": listing.has_scripts_without_list}
    if "next_pages" in spec:
        got["next_pages"] = next_pages(page, spec["max_pages"])
    return got, {k: spec[k] for k in got}
