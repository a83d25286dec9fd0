"""Metamorphic tests: every saved list, article, letters, guide and single-page column page gives the same records under every markup
perturbation of tests/perturb.py (what hand-edited pages do) as it gives unperturbed."""
from __future__ import annotations

from pathlib import Path

import pytest

from govcrawl.dates import DateParser
from govcrawl.extract.article import article_title, publish_date
from govcrawl.extract.guides import extract_guide, find_guide_links
from govcrawl.extract.letters import extract_letter_detail, extract_letter_list, find_channels
from govcrawl.extract.page import Page
from govcrawl.extract.singlepage import single_page_entry
from govcrawl.scope import Scope
from govcrawl.shapes import read_listing
from tests.perturb import PERTURBATIONS, perturb
from tests.shape_cases import as_of, page_file, saved_cases, shape_cases, spec_of


def _day(d) -> str | None:
    return d.isoformat() if d else None


def _page(case: Path, html: str) -> Page:
    return Page(spec_of(case)["url"], html)


def _dates(case: Path) -> DateParser:
    return DateParser(as_of(spec_of(case)))


def list_records(case: Path, html: str):
    listing = read_listing(_page(case, html), _dates(case))
    return {"entries": [(e.title, e.url, _day(e.date)) for e in listing.entries], "blank": listing.blank_marker}


def article_records(case: Path, html: str):
    page = _page(case, html)
    found = publish_date(page, _dates(case))
    return {"date": (_day(found.date), found.source) if found else None, "title": article_title(page)}


def letters_records(case: Path, html: str):
    page, dates = _page(case, html), _dates(case)
    if case.name.startswith("channels_"):
        return sorted((c.name, c.url, c.kind, c.offsite) for c in find_channels(page, Scope.for_site(page.url)))
    if case.name.startswith("list_"):
        return [(r.title, r.url, _day(r.asked_on), _day(r.answered_on), r.status) for r in extract_letter_list(page, dates)]
    d = extract_letter_detail(page, dates)
    return (d.title, _day(d.asked_on), _day(d.answered_on), d.status, d.reply_text_present)


def guide_records(case: Path, html: str):
    page, spec = _page(case, html), spec_of(case)
    g = extract_guide(page)
    links = find_guide_links(page, Scope.for_site(spec["site"])) if "site" in spec else None  # a page leading to guides
    return {"title": g.title, "values": g.values, "missing": g.missing, "labels_only": g.labels_only, "links": links}


def single_page_records(case: Path, html: str):
    page, dates = _page(case, html), _dates(case)
    entry = single_page_entry(page, read_listing(page, dates), dates)
    return (entry.title, entry.url, _day(entry.date), entry.source) if entry else None


READERS = {"lists": list_records, "article": article_records, "letters": letters_records, "guides": guide_records,
           "singlepage": single_page_records}


def _saved_cases() -> list[tuple[str, Path]]:
    """(kind, case) of every saved HTML page: the page-shape families' list pages and each extractor's area."""
    found = [("lists", case) for case in shape_cases(having="entries")]
    found += [(kind, case) for kind in READERS if kind != "lists" for case in saved_cases(kind)]
    return [(kind, case) for kind, case in found if page_file(case).suffix == ".html"]


SAVED = _saved_cases()


def _case_id(saved: tuple[str, Path]) -> str:
    kind, case = saved
    return f"{kind}/{case.name}"


def test_every_kind_of_saved_page_is_covered():
    kinds = {kind for kind, _case in SAVED}
    assert kinds == set(READERS) and len(SAVED) >= 60
    assert len(PERTURBATIONS) >= 8


@pytest.mark.parametrize("perturbation", sorted(PERTURBATIONS))
@pytest.mark.parametrize("saved", SAVED, ids=_case_id)
def test_same_records_under_perturbation(saved: tuple[str, Path], perturbation: str):
    kind, case = saved
    html = page_file(case).read_text(encoding="utf-8")
    read = READERS[kind]
    seed = page_file(case).name if kind == "lists" else f"{case.name}.html"  # the seeds of the pages' old file names
    changed = perturb(html, perturbation, seed)
    assert changed != html, "the perturbation must change the page"
    assert read(case, changed) == read(case, html)
