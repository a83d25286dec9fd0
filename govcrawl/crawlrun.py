"""What a crawl shares with the components around its spider: pipelines, middlewares, extensions and the
distributed worker read this object, registered on the crawler, never the spider's attributes.

The spider creates it, registers it with `register(crawler, run)` and keeps it current (its proxy once a replay
server is up); it also supplies the two things only it can do: describe the run (`describe`, the `runs` row) and
start a site (`start_site`, used by a distributed worker for each leased site).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from govcrawl.registry import Site


@dataclass
class CrawlRun:
    run_id: str
    as_of: date
    proxy: str | None = None            # every request goes through it (the replay server, or -a proxy=)
    replay_ca: str | None = None        # the replay server's CA certificate, while fixtures are replayed
    replace: bool = False               # -a replace=1: an existing run of this id is deleted first
    sites_total: int | None = None      # registered sites this process crawls (None: not a site crawl)
    describe: Callable[[], dict] | None = None                # the run's `runs` row
    start_site: Callable[[Site], Any] | None = None           # a site's first request, or None when it has none
    worker: Any = None                  # the distributed worker, when the run is distributed

    @property
    def replaying(self) -> bool:
        return self.replay_ca is not None

    def run_row(self) -> dict:
        if self.describe is None:
            raise RuntimeError(f"run {self.run_id}: its spider registered no `describe` (the runs row)")
        return self.describe()


ATTRIBUTE = "govcrawl_run"   # where the run is registered on the crawler


def register(crawler, run: CrawlRun) -> None:
    setattr(crawler, ATTRIBUTE, run)


def find_run(crawler) -> CrawlRun | None:
    """The crawl's run, or None when the crawler's spider is not a govcrawl spider."""
    return getattr(crawler, ATTRIBUTE, None)


def crawl_run(crawler) -> CrawlRun:
    run = find_run(crawler)
    if run is None:
        raise RuntimeError("no govcrawl run is registered on this crawler: govcrawl's pipelines and scheduler run "
                           "with a govcrawl spider (spiders.base.InspectionSpider registers it)")
    return run
