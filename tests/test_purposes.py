"""Requests by purpose (issue 16): every request is counted under one named purpose, and the README lists them all."""
import re
from pathlib import Path

import pytest

from govcrawl.purposes import PURPOSES, added, column_requests, purpose_of, requests_by_purpose
from govcrawl.visit import VISIT, Visit

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("meta, purpose", [
    ({"role": "homepage"}, "homepage"), ({"role": "column"}, "column"), ({"role": "list"}, "list_page"),
    ({"role": "endpoint"}, "endpoint"), ({"role": "article"}, "article"), ({"role": "letters"}, "letters"),
    ({"role": "letter"}, "letters"), ({"role": "guide"}, "guide"), ({"role": "check"}, "link_check"),
    ({"role": "frame"}, "frame"), ({"role": "cloaking"}, "cloaking"),
    ({"role": "column", "playwright": True}, "render"), ({"role": "homepage", "playwright": True}, "render"),
    ({"role": "challenge", "playwright": True}, "challenge"), ({"role": "evidence", "playwright": True}, "evidence"), ({"role": "weibo_posts"}, "account"),
    ({"role": "wechat_search"}, "account"), ({}, "other"), ({VISIT: "homepage"}, "other"),
])
def test_each_role_counts_under_its_purpose(meta, purpose):
    assert purpose_of(as_meta(meta)) == purpose


def as_meta(spec: dict) -> dict:
    """request.meta with the spec's role in its Visit, the other keys as they are."""
    spec = dict(spec)
    role = spec.pop("role", None)
    return {**spec, **({VISIT: Visit("4300000001", role)} if role else {})}


def test_the_readme_lists_every_purpose():
    section = README.split("### Requests by purpose", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^\| `(\w+)` \|", section, re.M) == list(PURPOSES)


def test_counts_come_out_of_the_stats_and_add_up():
    stats = {"govcrawl/requests/column": 10, "govcrawl/requests/list_page": 2, "govcrawl/requests/letters": 7,
             "govcrawl/requests/render": 1, "govcrawl/rendered_requests": 1}
    found = requests_by_purpose(stats)
    assert found == {"column": 10, "list_page": 2, "letters": 7, "render": 1}
    assert column_requests(found) == 13   # letters are reported beside the columns' cost
    assert added([found, {"column": 1, "guide": 2}]) == {"column": 11, "list_page": 2, "letters": 7, "render": 1,
                                                         "guide": 2}
