"""The intent of a province: which sites, which CMS families, which columns with which dates, which channels and
guides, and which indicator each site is built to fire or just miss (threshold ± 1). Pure function of the seed.

Windows are those of docs/indicators.md: news 2 weeks, notice 6 months, periodic 1 year (calendar months); letters
3 months within the year before T. Dates are chosen relative to T so every seed exercises the same boundaries.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from . import pools
from .model import Channel, Column, Guide, Letter, Site

FAMILIES = ("trs", "hanweb", "ajax", "legacy", "epoint", "dede", "phpcms")
VETO_CODES = ("site_unreachable", "homepage_url_mismatch", "homepage_not_updated", "columns_not_updated",
              "columns_long_stale", "blank_columns", "no_consultation_channel", "letters_unanswered", "no_service",
              "guide_elements_missing")
PERTURBATIONS = ("unclosed", "stray", "layout_table", "tag_case", "quoting", "whitespace", "nbsp_dates",
                 "fullwidth_dates", "renamed_classes", "comments_br", "font_tags")


def window_start(category: str, as_of: date) -> date | None:
    """Oldest date still up to date for a category (docs/indicators.md); None: no window."""
    return {"news": as_of - timedelta(days=14), "notice": as_of - relativedelta(months=6),
            "periodic": as_of - relativedelta(months=12)}.get(category)


class Planner:
    def __init__(self, seed: int, as_of: date):
        self.rng = random.Random(seed)
        self.as_of = as_of

    # -- dates -------------------------------------------------------------------------------------------
    def fresh(self, category: str, margin: int = 0) -> date:
        """A newest date inside the category's window (at least `margin` days inside it)."""
        start = window_start(category, self.as_of) or self.as_of - timedelta(days=2000)
        span = max((self.as_of - start).days - margin, 1)
        return self.as_of - timedelta(days=self.rng.randrange(0, min(span, 13 if category == "news" else span)))

    def stale(self, category: str, days_over: int | None = None) -> date:
        """A newest date before the category's window: `days_over` days before its start (random when None)."""
        start = window_start(category, self.as_of)
        return start - timedelta(days=days_over if days_over is not None else self.rng.randrange(1, 400))

    def entry_dates(self, newest: date, count: int | None = None) -> list[date]:
        count = count if count is not None else self.rng.choice([3, 5, 8, 12, 18, 24, 31])
        dates, d = [], newest
        for _ in range(count):
            dates.append(d)
            d -= timedelta(days=self.rng.randrange(1, 30))
        return dates

    # -- columns -----------------------------------------------------------------------------------------
    def column(self, site: Site, category: str, newest: date | None, group: str | None, shape: str = "list",
               pool: list[str] | None = None, home_block: bool = False) -> Column:
        pool = pool or {"news": pools.NEWS, "notice": pools.NOTICE, "periodic": pools.PERIODIC,
                        "reference": pools.SINGLE_PAGE}[category]
        used = {c.name for c in site.columns}
        name = self.rng.choice([n for n in pool if n not in used] or [f"{pool[0]}{len(used)}"])
        number = max((int(c.slug[1:]) for c in site.columns), default=0) + 1
        column = Column(slug=f"c{number}", name=name, category=category, group=group, shape=shape,
                        home_block=home_block)
        if shape == "blank":
            column.blank_marker = self.rng.choice(pools.BLANK_MARKERS + [None, None])
        elif shape == "single":
            column.dates = [newest]
        elif newest is not None:
            column.dates = self.entry_dates(newest)
        site.columns.append(column)
        return column

    def base_columns(self, site: Site, groups: list[str]) -> None:
        """A site that passes every column rule: fresh news and notices, one or two quiet columns."""
        rng, news_group, open_group = self.rng, groups[0], groups[1]
        self.column(site, "news", self.fresh("news", 3), None, home_block=True)
        for _ in range(rng.randint(1, 2)):
            self.column(site, "news", self.fresh("news", 3), news_group)
        self.column(site, "notice", self.fresh("notice", 10), None, home_block=True)
        self.column(site, "notice", self.fresh("notice", 10), open_group)
        for _ in range(rng.randint(2, 3)):
            self.column(site, "periodic", self.fresh("periodic", 10), open_group,
                        shape=rng.choice(["list", "list", "list", "undated"]))
        self.column(site, "reference", date(self.as_of.year - rng.randint(1, 6), rng.randint(1, 12), rng.randint(1, 28)),
                    open_group, shape="single")
        if rng.random() < 0.5:
            self.column(site, "periodic", self.stale("periodic"), open_group)   # one quiet column: still passes
        if rng.random() < 0.4:
            self.column(site, "periodic", None, open_group, shape="blank")
        if rng.random() < 0.2:
            future = self.as_of + timedelta(days=rng.randint(3, 20))
            column = site.columns[0]
            column.dates = [future] + column.dates      # a future-dated entry is not an update

    def stale_columns(self, site: Site, groups: list[str], in_scope: int, others: int) -> None:
        """Make exactly `in_scope` columns stale for columns_not_updated (news, first-level notices) and `others`
        more that count only for columns_long_stale (periodic, notices below the top level)."""
        rng = self.rng
        scope = [c for c in site.columns if c.category == "news" or (c.category == "notice" and c.first_level)]
        for column in scope:
            column.dates = self.entry_dates(self.fresh(column.category, 3), len(column.dates) or 5)
        scope = [c for c in scope if not c.home_block]   # the homepage stays up to date: one code at a time
        while len(scope) < in_scope:
            scope.append(self.column(site, "news", self.fresh("news", 3), groups[0]))
        rng.shuffle(scope)
        for column in scope[:in_scope]:
            column.dates = self.entry_dates(self.stale(column.category, rng.choice([1, 1, 5, 60])))
        outside = [c for c in site.columns if c.category == "periodic" and c.shape in ("list", "undated")
                   or (c.category == "notice" and not c.first_level)]
        for column in outside:
            column.dates = self.entry_dates(self.fresh(column.category, 10))
        while len(outside) < others:
            category = rng.choice(["periodic", "periodic", "notice"])
            outside.append(self.column(site, category, self.fresh(category, 10), groups[1]))
        for column in outside[:others]:
            column.dates = self.entry_dates(self.stale(column.category, rng.choice([1, 1, 30, 300])))

    # -- channels, letters, guides -----------------------------------------------------------------------
    def letters(self, count: int) -> list[Letter]:
        """Letters answered within 3 months, or pending but asked within the last 3 months."""
        out = []
        for _ in range(count):
            asked = self.as_of - timedelta(days=self.rng.randrange(1, 330))
            answered = asked + timedelta(days=self.rng.randrange(1, 60))
            out.append(Letter(asked, answered if answered <= self.as_of else None))
        return sorted(out, key=lambda x: x.asked, reverse=True)

    def consult_channel(self, site: Site, letters: int | None = None) -> Channel:
        channel = Channel(self.rng.choice(pools.CONSULT), "consultation",
                          letters=self.letters(letters if letters is not None else self.rng.randint(3, 9)))
        site.channels.append(channel)
        return channel

    def other_channels(self, site: Site) -> None:
        rng = self.rng
        if rng.random() < 0.7:
            site.channels.append(Channel(rng.choice(pools.PETITION), "petition", offsite=True))
        if rng.random() < 0.5:
            site.channels.append(Channel(rng.choice(pools.REPORT), "report", offsite=True))

    def guides(self, worst_missing: int, count: int | None = None) -> list[Guide]:
        """Guides each missing at most `worst_missing` key elements (at least one guide missing exactly that many)."""
        rng, keys = self.rng, list(pools.GUIDE_ELEMENTS)
        count = count or rng.randint(2, 5)
        subjects = rng.sample(pools.GUIDE_SUBJECTS, count)
        out = []
        for i, subject in enumerate(subjects):
            n = worst_missing if i == 0 else rng.randint(0, worst_missing)
            missing = rng.sample(keys, n)
            empty = [k for k in missing if rng.random() < 0.4]
            out.append(Guide(subject, missing, empty, idiom=rng.choice(["table", "dl", "strong", "heading"])))
        rng.shuffle(out)
        return out

    def service(self, site: Site, mode: str, worst_missing: int | None = None) -> None:
        site.service = mode
        site.service_name = self.rng.choice(pools.SERVICE_NAMES)
        site.service_group = self.rng.choice([None, self.rng.choice(pools.SERVICE_GROUPS)])
        if mode == "own":
            site.guides = self.guides(self.rng.randint(0, 2) if worst_missing is None else worst_missing)


def build_site(planner: Planner, site: Site, scenario: str) -> Site:
    """Fill `site` so that it shows `scenario` (`<code>:fire`, `<code>:miss` or `clean`)."""
    rng, as_of = planner.rng, planner.as_of
    groups = rng.sample(pools.NAV_GROUPS, 2)
    site.scenario = scenario
    code, _, mode = scenario.partition(":")
    planner.base_columns(site, groups)
    planner.consult_channel(site)
    planner.other_channels(site)
    if site.services or rng.random() < 0.3:
        planner.service(site, rng.choice(["own", "own", "zwfw"]))
    if scenario == "clean":
        if rng.random() < 0.25:   # up-to-date blocks that only a browser shows
            site.homepage = "script"
        if rng.random() < 0.35:   # a city platform besides its own box, working or dead: the own box still counts
            site.channels.append(Channel(rng.choice(pools.CONSULT_OFFSITE), "consultation", offsite=True,
                                         state=rng.choice(["working", "dead", "drop"])))
    if code in ("columns_not_updated", "columns_long_stale"):
        # docs/indicators.md leaves open whether a blank column is also stale: none here, so both readings agree
        site.columns = [c for c in site.columns if c.shape != "blank"]
    if code == "site_unreachable":
        if mode == "fire":
            site.unreachable = rng.choice(["503", "drop"])
        else:
            site.redirect = ("http", f"http://{site.host}/index.html")   # answers, after a redirect on its own host
    elif code == "homepage_url_mismatch":
        kind = rng.choice(["http", "meta", "js", "moved"])
        if mode == "fire":
            site.redirect = (kind, f"http://{site.host}/")
            site.registered_url = f"http://old{site.host.split('.', 1)[0]}.{site.host.split('.', 1)[1]}/"
        else:
            bare = site.host[4:] if site.host.startswith("www.") else None
            if bare:   # the registered URL lacks the www. only: not a mismatch
                site.registered_url = f"http://{bare}/"
                site.redirect = ("http", f"http://{site.host}/")
            else:      # a new path on the same host from an index URL: not a mismatch
                site.redirect = (kind if kind != "moved" else "http", f"http://{site.host}/portal/index.html")
    elif code == "homepage_not_updated":
        variant = rng.choice(["blocks", "blocks", "script", "nav_only"])
        site.homepage = variant
        over = 1 if mode == "fire" else 0
        if variant == "script" and mode == "fire":
            over = rng.choice([1, 28])                       # six weeks old, or just out of the window
        newest = as_of - timedelta(days=14 + over)
        if variant == "nav_only":
            for column in site.columns:
                column.home_block = False
                if column.shape in ("list", "undated") and column.dates and max(column.dates) > newest:
                    column.dates = planner.entry_dates(newest - timedelta(days=rng.randint(0, 3)))
            listed = [c for c in site.columns if c.shape == "list"]
            listed[0].dates = planner.entry_dates(newest)
        else:
            for column in site.columns:
                column.home_block = False
            notice = next(c for c in site.columns if c.category == "notice")
            periodic = next((c for c in site.columns if c.category == "periodic" and c.shape == "list"), None) \
                or planner.column(site, "periodic", newest, groups[1])
            notice.group, notice.home_block = None, True
            periodic.home_block = True
            notice.dates = planner.entry_dates(newest)
            periodic.dates = planner.entry_dates(newest - timedelta(days=rng.randint(0, 40)))
    elif code == "columns_not_updated":
        planner.stale_columns(site, groups, 5 if mode == "fire" else 4, rng.randint(0, 3))
    elif code == "columns_long_stale":
        in_scope = rng.randint(1, 4)
        planner.stale_columns(site, groups, in_scope, (10 if mode == "fire" else 9) - in_scope)
    elif code == "blank_columns":
        for column in [c for c in site.columns if c.shape == "blank"]:
            site.columns.remove(column)
        for _ in range(5 if mode == "fire" else 4):
            planner.column(site, rng.choice(["periodic", "periodic", "notice"]), None, groups[1], shape="blank")
    elif code == "no_consultation_channel":
        site.channels = [c for c in site.channels if c.kind != "consultation"]
        if mode == "fire":
            variant = rng.choice(["none", "maintenance", "dead", "drop"])
            if variant == "maintenance":
                site.channels.append(Channel(rng.choice(pools.CONSULT), "consultation", state="maintenance"))
            elif variant in ("dead", "drop"):
                site.channels.append(Channel(rng.choice(pools.CONSULT_OFFSITE), "consultation", offsite=True,
                                             state=variant))
        else:
            site.channels.append(Channel(rng.choice(pools.CONSULT_OFFSITE), "consultation", offsite=True))
    elif code == "letters_unanswered":
        channel = next(c for c in site.channels if c.kind == "consultation")
        asked = as_of - timedelta(days=rng.randint(100, 300))
        if mode == "fire":
            late = rng.choice(["late", "pending"])
            if late == "late":
                channel.letters.append(Letter(asked, asked + relativedelta(months=3) + timedelta(days=1)))
            else:
                channel.letters.append(Letter(as_of - relativedelta(months=3) - timedelta(days=1), None))
        else:
            variant = rng.choice(["on_time", "pending", "old"])
            if variant == "on_time":
                channel.letters.append(Letter(asked, asked + relativedelta(months=3)))
            elif variant == "pending":
                channel.letters.append(Letter(as_of - relativedelta(months=3), None))
            else:   # asked before the year under review: not judged
                old = as_of - relativedelta(years=1) - timedelta(days=1)
                channel.letters.append(Letter(old, old + relativedelta(months=5)))
        channel.letters.sort(key=lambda x: x.asked, reverse=True)
    elif code == "no_service":
        site.services = True
        planner.service(site, "none" if mode == "fire" else "zwfw")
    elif code == "guide_elements_missing":
        site.services = True
        planner.service(site, "own", 4 if mode == "fire" else 3)
        if mode == "fire":
            for guide in site.guides:   # every sampled guide misses 4 or more
                extra = [k for k in pools.GUIDE_ELEMENTS if k not in guide.missing]
                while len(guide.missing) < 4:
                    guide.missing.append(extra.pop(rng.randrange(len(extra))))
    site.perturbations = rng.sample(PERTURBATIONS, rng.randint(2, 5))
    return site
