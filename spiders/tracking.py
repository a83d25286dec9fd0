"""Per-site crawl state: which URLs were requested, how many requests are still out, and when a site is done.

A site's verdict must come from all of its data, never from part of it, so every request of a site is counted
when it is made and uncounted when its callback or errback has run; at zero the site is done.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass, field
from time import monotonic

from govcrawl.registry import Site
from govcrawl.scope import Scope
from govcrawl.visit import Visit, visit_or_none

logger = logging.getLogger(__name__)


@dataclass(kw_only=True)
class Counted:
    """What `tracked` keeps of a site's or an account's crawl: requests still out and made, done, errors met."""
    pending: int = 0
    requests: int = 0
    done: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class SiteState(Counted):
    site: Site
    seen: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)
    scope: Scope | None = None
    final_url: str | None = None
    reachable: bool = False
    chain: list[dict] = field(default_factory=list)
    columns: dict[str, dict] = field(default_factory=dict)
    list_pages: dict[str, int] = field(default_factory=dict)
    list_dates: dict[str, list] = field(default_factory=dict)  # column -> dates of its entries read, in list order
    lists_by_script: str | None = None    # the homepage's lists were filled by script: why (spiders/rendering.py)
    channels: set[str] = field(default_factory=set)
    guides_requested: int = 0
    guides_read: int = 0
    guide_urls: set[str] = field(default_factory=set)  # asked for as guides; never claimed from columns or channels
    failed: list[str] = field(default_factory=list)  # pages whose callback raised: read only in part
    blocked: list[str] = field(default_factory=list)
    footer: dict = field(default_factory=dict)
    open: dict[int, str] = field(default_factory=dict)    # request id -> "role url", until handled or lost
    last_progress: float = field(default_factory=monotonic)
    stalled: str | None = None                            # why the watchdog finalised the site

    def opened(self, request_id: int, role: str, url: str) -> None:
        self.open[request_id] = f"{role} {url}"
        self.pending += 1
        self.last_progress = monotonic()

    def release(self, request_id: int | None) -> bool:
        """Request `request_id` is accounted for (handled or lost); False when it was already."""
        if self.open.pop(request_id, None) is None:
            return False
        self.pending -= 1
        self.last_progress = monotonic()
        return True


def tracked(callback):
    """Wrap a callback or errback: uncount its request once it has run, then finish the site at zero."""

    @functools.wraps(callback)
    def wrapper(self, response_or_failure, *args, **kwargs):
        request = getattr(response_or_failure, "request", None)
        visit = visit_or_none(request)
        state = self.states.get(visit.site_code) if visit is not None else None
        if state is not None and state.done:   # finalised meanwhile (the watchdog): its verdict stands
            release(state, visit)
            return
        try:
            yield from callback(self, response_or_failure, *args, **kwargs)
        except Exception as exc:  # one broken page must not lose the site's verdict
            url = request.url if request is not None else "?"
            logger.exception("error handling %s", url)
            self.crawler.stats.inc_value("govcrawl/callback_errors")
            if state is not None:
                state.errors.append(f"{url}: {type(exc).__name__}: {exc}")
                if hasattr(state, "failed"):  # the site's facts are missing what this page held
                    state.failed.append(url)
        if state is not None and release(state, visit) and state.pending <= 0 and not state.done:
            state.done = True
            yield from self.finish_site(state)

    return wrapper


def release(state, visit: Visit) -> bool:
    """Uncount a request of `state` once; states without per-request ids (new-media accounts) count down."""
    if hasattr(state, "release"):
        return state.release(visit.request_id)
    state.pending -= 1
    return True


class SiteWindow:
    """At most `size` sites crawled at once (0: no limit); the next site starts when one is finished.

    A province crawled all at once keeps every site's frontier in memory, makes every site wait on all the others,
    and an interrupted run loses every site's partial crawl. A window keeps memory and scheduling cost bounded by
    the window, not the province, and sites are judged (and safe from interruption) one after another.
    """

    def __init__(self, size: int):
        self.open: set[str] = set()
        self._free = asyncio.Semaphore(size) if size > 0 else None

    async def enter(self, site_code: str) -> None:
        if self._free is not None:
            await self._free.acquire()
        self.open.add(site_code)

    def leave(self, site_code: str) -> None:
        if site_code not in self.open:   # never entered (a distributed worker's leased sites)
            return
        self.open.discard(site_code)
        if self._free is not None:
            self._free.release()
