"""Saved pages with expected output, one layout for every extractor: tests/pages/<area>/<case>/inputs/page.<ext> and
<case>/expected.json. The page-shape families' cases are tests/pages/shapes/<family>/<case>/ (expected.json: url,
as_of and what the registry must give: entries, blank_marker, has_scripts_without_list, next_pages with max_pages; or
state, reason and marker of a list page without entries); navigation's are tests/pages/nav/<case>/.
A plug-in family keeps its cases in the same layout next to its module (tests/shapes_plugin/cases/).

Every other extractor's cases (article, footer, guides, letters, redirect, safety, singlepage, empty, weibo, wechat)
replay through `replay_saved(case, reader)`: expected.json holds the inputs (INPUT_KEYS) and, under every other key,
what the extractor must give; the reader of the area's test returns the extractor's records, and `project` reads from
them exactly the fields expected.json names (an object's attributes or a dict's keys, nested), so a case checks what
it states and nothing is checked by accident."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from govcrawl.dates import DateParser
from govcrawl.extract.emptystate import list_page_state
from govcrawl.extract.page import Page
from govcrawl.shapes import next_pages, read_listing

PAGES = Path(__file__).parent / "pages"
SHAPES = PAGES / "shapes"
INPUT_KEYS = frozenset({"url", "as_of", "site", "uid", "note"})  # what a reader is given; "note" says why the case exists


def spec_of(case: Path) -> dict:
    return json.loads((case / "expected.json").read_text(encoding="utf-8"))


def shape_cases(root: Path = SHAPES, having: str | None = None) -> list[Path]:
    """Every <family>/<case> folder under root, or those whose expected.json states `having`."""
    cases = sorted(p.parent for p in root.glob("*/*/expected.json"))
    return [c for c in cases if having is None or having in spec_of(c)]


def case_id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def saved_cases(area: str) -> list[Path]:
    """The <case> folders of one extractor's area, tests/pages/<area>/<case>/."""
    cases = sorted(p.parent for p in (PAGES / area).glob("*/expected.json"))
    assert cases, f"no saved cases under {PAGES / area}"
    return cases


def saved_case(area: str, name: str) -> Path:
    case = PAGES / area / name
    assert (case / "expected.json").is_file(), f"no saved case {case}"
    return case


def page_file(case: Path) -> Path:
    (found,) = (case / "inputs").glob("page.*")
    return found


def as_of(spec: dict) -> datetime.date:
    return datetime.date.fromisoformat(spec["as_of"])


def load_case(case: Path) -> tuple[Page, dict]:
    spec = spec_of(case)
    return Page(spec["url"], page_file(case).read_text(encoding="utf-8")), spec


def plain(value):
    """A record value as expected.json writes it: dates in ISO form, tuples and sets as lists."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def project(found, like):
    """`found` read in the shape of `like`: the keys of a dict in `like` are read from `found` (a dict's keys or an
    object's attributes), a list element by element; a list of another length comes back whole, to show the gap."""
    if isinstance(like, dict) and found is not None and not isinstance(found, (str, int, float, bool, list, tuple)):
        get = found.__getitem__ if isinstance(found, dict) else (lambda key: getattr(found, key))
        return {key: project(get(key), sub) for key, sub in like.items()}
    if isinstance(like, list) and isinstance(found, (list, tuple)) and len(found) == len(like):
        return [project(item, sub) for item, sub in zip(found, like)]
    if isinstance(like, list) and isinstance(found, (list, tuple)):
        return [plain(vars(item) if hasattr(item, "__dict__") else item) for item in found]
    return plain(found)


def replay_saved(case: Path, reader) -> tuple[dict, dict]:
    """(what reader(page, spec) gives, read as expected.json states it; what expected.json states)."""
    page, spec = load_case(case)
    expected = {key: value for key, value in spec.items() if key not in INPUT_KEYS}
    assert expected, f"{case / 'expected.json'} states no expected output"
    return project(reader(page, spec), expected), expected


def replay(case: Path) -> tuple[dict, dict]:
    """(what the registry gives, what expected.json states), over the keys expected.json states."""
    page, spec = load_case(case)
    got: dict = {}
    listing = read_listing(page, DateParser(as_of(spec)))
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
