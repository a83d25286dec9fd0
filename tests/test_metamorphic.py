"""Metamorphic tests: every saved list, article, letters, guide and single-page column page gives the same records under every markup
perturbation of tests/perturb.py (what hand-edited pages do) as it gives unperturbed."""
from __future__ import annotations

import datetime
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
from tests.shape_cases import shape_cases, spec_of
from tests.perturb import PERTURBATIONS, perturb
from tests.test_article import SAVED_CASES

PAGES = Path(__file__).parent / "pages"
LETTERS_AS_OF = datetime.date(2019, 6, 1)
ARTICLE_URLS = {name: url for name, url, *_ in SAVED_CASES}
ARTICLE_AS_OF = datetime.date(2026, 9, 20)
LETTER_URLS = {
    "channels_home.html": "http://www.yyswh.gov.cn/", "channels_none.html": "http://www.yywhyc.gov.cn/",
    "list_dalian.html": "http://xzfw.dl.gov.cn/fgw/gzjl/xjlb_1.jspx",
    "list_jiamusi.html": "http://www.jms.gov.cn/html/zmhd/page/jms_10030002_1.html",
    "list_chuzhou.html": "http://www.chuzhou.gov.cn/content/column/2983504",
    "list_changsha.html": "http://wlwz.changsha.gov.cn/webapp/cs/email/index.jsp",
    "list_with_sidebar.html": "http://www.jms.gov.cn/html/zmhd/",
}
GUIDE_URL = "http://www.example.gov.cn/bsfw/item.html"
SINGLE_PAGE_DATES = DateParser(datetime.date(2026, 9, 20))


def _day(d) -> str | None:
    return d.isoformat() if d else None


def list_records(path: Path, html: str):
    spec = spec_of(path.parent.parent)
    listing = read_listing(Page(spec["url"], html), DateParser(datetime.date.fromisoformat(spec["as_of"])))
    return {"entries": [(e.title, e.url, _day(e.date)) for e in listing.entries], "blank": listing.blank_marker}


def article_records(path: Path, html: str):
    page = Page(ARTICLE_URLS[path.stem], html)
    found = publish_date(page, DateParser(ARTICLE_AS_OF))
    return {"date": (_day(found.date), found.source) if found else None, "title": article_title(page)}


def letters_records(path: Path, html: str):
    dates = DateParser(LETTERS_AS_OF)
    url = LETTER_URLS.get(path.name, "http://www.example.gov.cn/hdjl/detail.html")
    page = Page(url, html)
    if path.name.startswith("channels_"):
        return sorted((c.name, c.url, c.kind, c.offsite) for c in find_channels(page, Scope.for_site(url)))
    if path.name.startswith("list_"):
        return [(r.title, r.url, _day(r.asked_on), _day(r.answered_on), r.status) for r in extract_letter_list(page, dates)]
    d = extract_letter_detail(page, dates)
    return (d.title, _day(d.asked_on), _day(d.answered_on), d.status, d.reply_text_present)


def guide_records(path: Path, html: str):
    page = Page(GUIDE_URL, html)
    if path.name == "guide_list.html":
        return find_guide_links(page, Scope.for_site(GUIDE_URL))
    g = extract_guide(page)
    return {"title": g.title, "values": g.values, "missing": g.missing, "labels_only": g.labels_only}


def single_page_records(path: Path, html: str):
    page = Page(f"http://www.example.gov.cn/{path.stem}/", html)
    entry = single_page_entry(page, read_listing(page, SINGLE_PAGE_DATES), SINGLE_PAGE_DATES)
    return (entry.title, entry.url, _day(entry.date), entry.source) if entry else None


READERS = {"lists": list_records, "article": article_records, "letters": letters_records, "guides": guide_records,
           "singlepage": single_page_records}


def _saved_pages() -> list[Path]:
    pages = []
    for kind in READERS:
        if kind == "lists":  # the page-shape families' saved list pages
            pages += [p for case in shape_cases(having="entries") for p in (case / "inputs").glob("page.html")]
            continue
        pages += sorted((PAGES / kind).glob("*.html"))
    return pages


SAVED = _saved_pages()


def _kind(path: Path) -> str:
    return "lists" if path.parent.name == "inputs" else path.parent.name


def _page_id(path: Path) -> str:
    return f"lists/{path.parent.parent.name}" if _kind(path) == "lists" else f"{path.parent.name}/{path.stem}"


def test_every_kind_of_saved_page_is_covered():
    kinds = {_kind(p) for p in SAVED}
    assert kinds == set(READERS) and len(SAVED) >= 60
    assert len(PERTURBATIONS) >= 8


@pytest.mark.parametrize("perturbation", sorted(PERTURBATIONS))
@pytest.mark.parametrize("path", SAVED, ids=_page_id)
def test_same_records_under_perturbation(path: Path, perturbation: str):
    html = path.read_text(encoding="utf-8")
    read = READERS[_kind(path)]
    changed = perturb(html, perturbation, path.name)
    assert changed != html, "the perturbation must change the page"
    assert read(path, changed) == read(path, html)
