"""Page shapes as plug-ins: what one CMS family's pages look like, in one module per family.

Each module in govcrawl/shapes/families/ (and in every folder named by the environment variable
GOVCRAWL_SHAPES_PATH, separated by os.pathsep) is one family. It declares

    NAME = "hanweb"            # shown in stats and tests
    PRIORITY = 20              # families are asked in ascending order; the generic family (100) comes last
    def recognise(page) -> bool            # optional: the family's readers run only on pages it recognises

and supplies only the readers where its pages differ from the generic family's:

    def list_groups(reader, page) -> list[Group]      # candidate row groups (all recognising families add theirs)
    def next_pages(page, live, max_pages) -> list | None   # further list pages; None: not this family's pager
    def json_endpoint(page) -> str | None              # the list's data URL, fetched without a browser
    RENDER_HINTS = [(name, regex)]                     # script patterns that fill a list (render reason ajax-<name>)
    LIST_SCRIPTS = regex                               # script marks of a list left to a script (Listing hint)
    INERT_SCRIPTS = regex                              # the family's scripts that never fill a list (pagers)
    def declared_empty(page) -> bool                   # the CMS states the list has no records

The spider and the other callers ask this registry (read_listing, next_pages, json_endpoint, render_pattern,
declared_empty); they never call a family's reader. Adding a family is adding one module (plus its saved pages in
tests/pages/shapes/<family>/).
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Callable

from govcrawl.dates import DateParser
from govcrawl.extract.listing import Listing, RowReader, listing_from
from govcrawl.extract.page import Page
from govcrawl.extract.pagers import live_code
from govcrawl.shapes import families as _builtin

PATH_VARIABLE = "GOVCRAWL_SHAPES_PATH"


class ShapeError(ValueError):
    """A family module that cannot be used; the message names its file."""


@dataclass(frozen=True)
class Family:
    name: str
    priority: int
    module: ModuleType

    def recognises(self, page: Page) -> bool:
        recognise = getattr(self.module, "recognise", None)
        return True if recognise is None else bool(recognise(page))

    def reader(self, name: str) -> Callable | None:
        return getattr(self.module, name, None)

    @property
    def render_hints(self) -> list[tuple[str, re.Pattern]]:
        return [(n, re.compile(p, re.I) if isinstance(p, str) else p) for n, p in getattr(self.module, "RENDER_HINTS", ())]


def _family(module: ModuleType) -> Family:
    where = getattr(module, "__file__", module.__name__)
    name, priority = getattr(module, "NAME", None), getattr(module, "PRIORITY", None)
    if not isinstance(name, str) or not name or not isinstance(priority, int):
        raise ShapeError(f"{where}: a page-shape module declares NAME (a string) and PRIORITY (an integer)")
    return Family(name, priority, module)


def _external(folder: str) -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules([folder]):
        path = Path(folder) / f"{info.name}.py"
        spec = importlib.util.spec_from_file_location(f"govcrawl_shapes_{info.name}", path)
        if spec is None or spec.loader is None:
            raise ShapeError(f"{path}: not a loadable page-shape module")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules.append(module)
    return modules


@cache
def _discover(extra: str) -> tuple[Family, ...]:
    modules = [importlib.import_module(f"{_builtin.__name__}.{info.name}")
               for info in pkgutil.iter_modules(_builtin.__path__)]
    for folder in filter(None, extra.split(os.pathsep)):
        if not Path(folder).is_dir():
            raise ShapeError(f"{PATH_VARIABLE}: {folder} is not a folder")
        modules += _external(folder)
    found = sorted((_family(m) for m in modules), key=lambda f: (f.priority, f.name))
    names = [f.name for f in found]
    if dupes := sorted({n for n in names if names.count(n) > 1}):
        raise ShapeError(f"page-shape families declared twice: {', '.join(dupes)}")
    return tuple(found)


def families() -> tuple[Family, ...]:
    """Every family, in the order they are asked (built-in ones, then those on GOVCRAWL_SHAPES_PATH)."""
    return _discover(os.environ.get(PATH_VARIABLE, ""))


def _asked(page: Page, reader: str) -> list[tuple[Family, Callable]]:
    return [(f, fn) for f in families() if (fn := f.reader(reader)) is not None and f.recognises(page)]


def read_listing(page: Page, dates: DateParser) -> Listing:
    """Entries (title, url, date) of a column list page: the best row groups every recognising family reads."""
    reader = RowReader(page, dates)
    groups = [g for _f, read in _asked(page, "list_groups") for g in read(reader, page)]
    return listing_from(reader, groups, lambda: declared_empty(page), list_scripts)


def next_pages(page: Page, max_pages: int) -> list[str]:
    """Absolute URLs of list pages after this one, at most max_pages pages in all counting page 1: the first family
    whose pager reads the page decides."""
    if max_pages < 2:
        return []
    live = live_code(page.text)
    for _family, pager in _asked(page, "next_pages"):
        urls = pager(page, live, max_pages)
        if urls is not None:
            return urls
    return []


def json_endpoint(page: Page) -> str | None:
    """Absolute URL of the list's data (JSON/JSONP/datastore) when the page states it, fetched without a browser;
    None when only a browser can build the request."""
    return next((url for _f, find in _asked(page, "json_endpoint") if (url := find(page))), None)


def render_pattern(code: str) -> str | None:
    """Name of the first family script pattern (RENDER_HINTS) that fills a list in this script code, else None."""
    return next((name for f in families() for name, pattern in f.render_hints if pattern.search(code)), None)


def list_scripts(text: str) -> bool:
    """The page's code carries a family's mark of a list a script fills (LIST_SCRIPTS)."""
    return any(_pattern(f, "LIST_SCRIPTS").search(text) for f in families() if hasattr(f.module, "LIST_SCRIPTS"))


def inert_script(code: str) -> bool:
    """This script code is a family's known script that never fills a list (INERT_SCRIPTS: pagers, counters)."""
    return any(_pattern(f, "INERT_SCRIPTS").search(code) for f in families() if hasattr(f.module, "INERT_SCRIPTS"))


def _pattern(family: Family, name: str) -> re.Pattern:
    value = getattr(family.module, name)
    return re.compile(value, re.I) if isinstance(value, str) else value


def declared_empty(page: Page) -> bool:
    """The CMS itself states the list has no records (a family's empty-state reader)."""
    return any(says(page) for _f, says in _asked(page, "declared_empty"))
