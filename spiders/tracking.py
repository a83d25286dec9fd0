"""Per-site crawl state: which URLs were requested, how many requests are still out, and when a site is done.

A site's verdict must come from all of its data, never from part of it, so every request of a site is counted
when it is made and uncounted when its callback or errback has run; at zero the site is done.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field

from govcrawl.registry import Site
from govcrawl.scope import Scope

logger = logging.getLogger(__name__)


@dataclass
class SiteState:
    site: Site
    pending: int = 0
    requests: int = 0
    seen: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)
    scope: Scope | None = None
    final_url: str | None = None
    reachable: bool = False
    chain: list[dict] = field(default_factory=list)
    columns: dict[str, dict] = field(default_factory=dict)
    list_pages: dict[str, int] = field(default_factory=dict)
    channels: set[str] = field(default_factory=set)
    guides_requested: int = 0
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    footer: dict = field(default_factory=dict)
    done: bool = False


def tracked(callback):
    """Wrap a callback or errback: uncount its request once it has run, then finish the site at zero."""

    @functools.wraps(callback)
    def wrapper(self, response_or_failure, *args, **kwargs):
        request = getattr(response_or_failure, "request", None)
        state = self.states.get(request.meta.get("site_code")) if request is not None else None
        try:
            yield from callback(self, response_or_failure, *args, **kwargs)
        except Exception as exc:  # one broken page must not lose the site's verdict
            url = request.url if request is not None else "?"
            logger.exception("error handling %s", url)
            self.crawler.stats.inc_value("govcrawl/callback_errors")
            if state is not None:
                state.errors.append(f"{url}: {type(exc).__name__}: {exc}")
        if state is not None:
            state.pending -= 1
            if state.pending <= 0 and not state.done:
                state.done = True
                yield from self.finish_site(state)

    return wrapper
