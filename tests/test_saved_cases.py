"""The one layout of saved pages (tests/pages/<area>/<case>/inputs/page.<ext> + expected.json) and the replay that
every extractor's test shares (tests/shape_cases.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.shape_cases import INPUT_KEYS, PAGES, page_file, project, replay_saved, saved_cases

SHAPE_FAMILIES = "shapes"  # tests/pages/shapes/<family>/<case>/: one level deeper, replayed by test_shapes.py


def every_case() -> list[Path]:
    return sorted(p.parent for p in PAGES.rglob("expected.json"))


def test_every_saved_page_is_a_case_in_the_one_layout():
    loose = [p for p in PAGES.rglob("*") if p.is_file() and p.name != "expected.json" and p.parent.name != "inputs"]
    assert loose == []
    inputs = sorted(p.parent.parent for p in PAGES.rglob("inputs/page.*"))
    assert inputs == every_case() and len(inputs) >= 140
    for case in every_case():
        spec = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        assert "url" in spec, case
        assert set(spec) - INPUT_KEYS, f"{case} states no expected output"
        page_file(case)  # exactly one page per case


def test_every_area_is_replayed_by_a_test():
    areas = {p.name for p in PAGES.iterdir() if p.is_dir()} - {SHAPE_FAMILIES}
    tests = "\n".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    unread = sorted(area for area in areas if f'saved_cases("{area}")' not in tests and f'"pages" / "{area}"' not in tests)
    assert unread == []


@dataclass
class Record:
    title: str
    day: date | None


def test_project_reads_only_the_stated_fields_nested():
    found = {"rows": [Record("甲", date(2019, 6, 1)), Record("乙", None)], "extra": 1}
    assert project(found, {"rows": [{"day": "2019-06-01"}, {"title": "乙"}]}) == {
        "rows": [{"day": "2019-06-01"}, {"title": "乙"}]}
    # a list of another length comes back whole, so the comparison fails and shows the rows
    assert project(found["rows"], [{"title": "甲"}]) == [{"title": "甲", "day": "2019-06-01"}, {"title": "乙", "day": None}]
    assert project(None, {"title": "甲"}) is None


def test_a_field_the_records_lack_is_an_error_not_a_pass():
    with pytest.raises(KeyError):
        project({"rows": []}, {"row": []})
    with pytest.raises(AttributeError):
        project(Record("甲", None), {"date": None})


def test_replay_compares_expected_output_only():
    case = saved_cases("redirect")[0]
    got, expected = replay_saved(case, lambda page, spec: {"redirect": None})
    assert set(expected) == {"redirect"} and got == {"redirect": None}
