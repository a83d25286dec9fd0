"""Expected verdicts of a generated site, from the generator's intent and the rules of docs/indicators.md (never from
running govcrawl). Each rule is restated here on the model: a second, independent reading of docs/indicators.md."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .model import Column, Site
from .plan import window_start

COLUMNS_NOT_UPDATED_MIN, COLUMNS_LONG_STALE_MIN, BLANK_COLUMNS_MIN = 5, 10, 5
HOMEPAGE_WINDOW_DAYS, GUIDE_MISSING_MIN = 14, 4


def newest(column: Column, as_of: date) -> date | None:
    valid = [d for d in column.dates if d <= as_of]
    return max(valid) if valid else None


def is_blank(column: Column) -> bool:
    return column.shape == "blank"


def is_stale(column: Column, as_of: date) -> bool:
    start = window_start(column.category, as_of)
    if start is None or is_blank(column):
        return False
    latest = newest(column, as_of)
    return latest is None or latest < start


def homepage_dates(site: Site) -> list[date]:
    """Dates of the entries the homepage shows (its blocks), as a browser shows them."""
    if site.homepage == "nav_only":
        return []
    return [d for c in site.columns if c.home_block for d in c.dates[:6]]


def letter_overdue(asked: date, answered: date | None, as_of: date) -> bool:
    if not (as_of - relativedelta(years=1) <= asked <= as_of):
        return False
    if answered is not None:
        return answered > asked + relativedelta(months=3)
    return asked < as_of - relativedelta(months=3)


def findings(site: Site, as_of: date) -> list[str]:
    """The veto codes docs/indicators.md gives for the site."""
    if site.unreachable:
        return ["site_unreachable"]
    codes = []
    registered = site.registered_url.split("/")[2].removeprefix("www.")
    if registered != site.host.removeprefix("www."):
        codes.append("homepage_url_mismatch")
    window = as_of - timedelta(days=HOMEPAGE_WINDOW_DAYS)
    shown = [d for d in homepage_dates(site)]
    if shown:
        valid = [d for d in shown if d <= as_of]
        if not valid or max(valid) < window:
            codes.append("homepage_not_updated")
    else:   # navigation only: all second-level pages together
        latest = max((n for c in site.columns if (n := newest(c, as_of))), default=None)
        if latest is None or latest < window:
            codes.append("homepage_not_updated")
    stale = [c for c in site.columns if is_stale(c, as_of)]
    in_scope = [c for c in stale if c.category == "news" or (c.category == "notice" and c.first_level)]
    if len(in_scope) >= COLUMNS_NOT_UPDATED_MIN:
        codes.append("columns_not_updated")
    if len(stale) >= COLUMNS_LONG_STALE_MIN:
        codes.append("columns_long_stale")
    if sum(is_blank(c) for c in site.columns) >= BLANK_COLUMNS_MIN:
        codes.append("blank_columns")
    consult = [c for c in site.channels if c.kind == "consultation"]
    if not any(c.state == "working" for c in consult):
        codes.append("no_consultation_channel")
    if any(letter_overdue(x.asked, x.answered, as_of) for c in consult if c.state == "working" for x in c.letters):
        codes.append("letters_unanswered")
    if site.services and site.service == "none":
        codes.append("no_service")
    if site.service == "own" and site.guides and all(len(g.missing) >= GUIDE_MISSING_MIN for g in site.guides):
        codes.append("guide_elements_missing")
    return codes


def site_truth(site: Site, as_of: date) -> dict:
    columns = {}
    if not site.unreachable:
        for c in site.columns:
            latest = newest(c, as_of)
            columns[c.url] = {"name": c.name, "category": c.category, "first_level": c.first_level,
                              "newest_date": latest.isoformat() if latest else None, "blank": is_blank(c),
                              "shape": c.shape, "stale": is_stale(c, as_of)}
        if site.service == "own":
            columns[site.service_url] = {"name": site.service_name, "category": "reference", "first_level":
                                         site.service_group is None, "newest_date": None, "blank": False,
                                         "shape": "guides", "stale": False}
    return {
        "name": site.name, "unit": site.unit, "registered_url": site.registered_url, "family": site.family,
        "scenario": site.scenario, "homepage": site.homepage, "perturbations": site.perturbations,
        "final_url": None if site.unreachable else f"{site.base}{site.home_path}",
        "columns": columns,
        "channels": [{"name": c.name, "kind": c.kind, "url": c.url, "offsite": c.offsite, "working": c.state == "working"}
                     for c in site.channels],
        "letters": [{"asked_on": x.asked.isoformat(), "answered_on": x.answered.isoformat() if x.answered else None}
                    for c in site.channels if c.kind == "consultation" for x in c.letters],
        "guides": [{"url": g.url, "missing": sorted(g.missing)} for g in site.guides],
        "findings": findings(site, as_of),
    }
