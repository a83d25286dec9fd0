"""Subresources of rendered pages: scripts and styles fetched once per run through Scrapy, or not at all.

A rendered page loads whatever its markup names, and with its requests routed the browser keeps no HTTP cache.
Scripts and styles of other sites (a CDN's jQuery, a shared widget), and the site's own script and style files
(.js, .css: the same on every page of the site, while its columns are rendered one after another), are fetched by
the first page to want one through Scrapy's downloader — in a slot of its own per host, with the per-host limit and
delay of any request of the crawl — and every later page gets it from this run's cache. Decorative third-party scripts present in every footer (the national 找错 script, the 党政机关
badge, share buttons) and third-party frames change nothing in a list: they are blocked. Each rendered page's
counts (requests that went out, served from the cache, blocked) go to the stats and to the response's meta.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from govcrawl.crawlrun import find_run
from govcrawl.purposes import STAT_PREFIX
from govcrawl.scope import registered_domain
from govcrawl.visit import VISIT, Visit

logger = logging.getLogger(__name__)

# On every page of many government sites, and no list depends on them.
DECORATIVE = re.compile(r"(?:^|\.)(?:conac\.cn|kaipuyun\.cn|zfwzgl\.www\.gov\.cn|share\.baidu\.com|bshare\.cn|"
                        r"jiathis\.com)$", re.I)
DECORATIVE_PATH = re.compile(r"/(?:jiucuo|exposure)[^/]*\.js\b", re.I)
CACHED_TYPES = frozenset({"script", "stylesheet"})
STATIC_PATH = re.compile(r"\.(?:js|css)$", re.I)
MAX_CACHED_BYTES = 2 * 1024 * 1024      # one file
MAX_CACHE_BYTES = 64 * 1024 * 1024      # the run


@dataclass
class PageCounts:
    """Subresource requests of one rendered page."""
    requests: int = 0    # went to the network (the site's own files, and third-party files fetched first here)
    cached: int = 0      # third-party files served from this run's cache
    blocked: int = 0     # never loaded (images, fonts, media, analytics, decorative scripts, third-party frames)


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes


def third_party(url: str, page_url: str) -> bool:
    host, page_host = urlsplit(url).hostname or "", urlsplit(page_url).hostname or ""
    return registered_domain(host) != registered_domain(page_host)


def static_file(url: str) -> bool:
    """A script or style file by its name (.js, .css): the same on every page of the site."""
    return bool(STATIC_PATH.search(urlsplit(url).path))


def decorative(url: str) -> bool:
    parts = urlsplit(url)
    return bool(DECORATIVE.search(parts.hostname or "") or DECORATIVE_PATH.search(parts.path))


class SubresourceCache:
    """`fetch(url, referer) -> Fetched` downloads one file (through Scrapy's engine in a crawl)."""

    def __init__(self, fetch, stats=None, abort=lambda request: False):
        self.fetch = fetch
        self.stats = stats
        self.abort = abort          # PLAYWRIGHT_ABORT_REQUEST: its requests are aborted by a later handler
        self.files: dict[str, asyncio.Future] = {}
        self.size = 0

    def handler(self, page_url: str, counts: PageCounts):
        """A page.route handler for one page; ends in route.fallback() for whatever it does not answer itself."""

        async def route_subresource(route, request):
            if request.is_navigation_request() and request.frame.parent_frame is None:
                await route.fallback()     # the page itself
                return
            if self.abort(request):
                counts.blocked += 1
                await route.fallback()
                return
            outside = third_party(request.url, page_url)
            if outside and (decorative(request.url) or request.resource_type == "document"):
                counts.blocked += 1
                await route.abort()
                return
            if request.resource_type in CACHED_TYPES and request.method == "GET" and (outside or static_file(request.url)):
                await self.answer(route, request.url, page_url, counts)
                return
            self.went_out(counts)
            await route.fallback()

        return route_subresource

    async def answer(self, route, url: str, referer: str, counts: PageCounts) -> None:
        future = self.files.get(url)
        if future is None:
            self.went_out(counts)
            future = self.files[url] = asyncio.get_running_loop().create_future()
            fetched = None
            try:
                fetched = await self.fetch(url, referer)
            except Exception as exc:  # noqa: BLE001 — a missing script is the page's problem, not the crawl's
                logger.debug("subresource %s failed: %s", url, exc)
                fetched = Fetched(502, "text/plain", b"")
            finally:
                # also when this page's handler is cancelled (its page closed): the pages waiting for the file must
                # never wait for ever
                self.settle(url, future, fetched)
            fetched = future.result()
        else:
            counts.cached += 1
            fetched = await asyncio.shield(future)
        try:
            await route.fulfill(status=fetched.status, body=fetched.body,
                                headers={"content-type": fetched.content_type or "application/octet-stream"})
        except Exception:  # noqa: BLE001 — the page closed meanwhile
            logger.debug("fulfilling %s failed", url, exc_info=True)

    def settle(self, url: str, future: asyncio.Future, fetched: Fetched | None) -> None:
        """The file's answer for every page waiting for it; kept for later pages unless it is too big or its fetch
        was cancelled (`fetched` None)."""
        cancelled = fetched is None
        fetched = fetched or Fetched(502, "text/plain", b"")
        if cancelled or len(fetched.body) > MAX_CACHED_BYTES or self.size + len(fetched.body) > MAX_CACHE_BYTES:
            del self.files[url]     # the next page asks again
        else:
            self.size += len(fetched.body)
        future.set_result(fetched)

    def went_out(self, counts: PageCounts) -> None:
        """One subresource request to the network, counted as it goes (a page that times out still made it)."""
        counts.requests += 1
        if self.stats is not None:
            self.stats.inc_value(STAT_PREFIX + "subresource")

    def record(self, counts: PageCounts, meta: dict) -> None:
        meta["subresources"] = asdict(counts)
        if self.stats is not None:
            self.stats.inc_value("govcrawl/subresources/pages")
            for key, value in asdict(counts).items():
                self.stats.inc_value(f"govcrawl/subresources/{key}", value)
            self.stats.max_value("govcrawl/subresources/max_requests_per_page", counts.requests)


def scrapy_fetcher(crawler):
    """Fetch through the crawl's own downloader: per-host limits, delays and the proxy apply."""
    from scrapy import Request

    async def fetch(url: str, referer: str) -> Fetched:
        run = find_run(crawler)
        proxy = run.proxy if run is not None else None
        # a slot of their own per host: a page waiting for its site's script must not wait for a slot its own
        # render holds (two renders of one host would hold both and wait for each other until they time out)
        meta = {"dont_retry": True, "handle_httpstatus_all": True, VISIT: Visit(None, "subresource"),
                "download_slot": f"{urlsplit(url).hostname or ''} subresources", **({"proxy": proxy} if proxy else {})}
        response = await crawler.engine.download_async(
            Request(url, headers={"Referer": referer}, meta=meta, dont_filter=True))
        return Fetched(response.status, response.headers.get("Content-Type", b"").decode("latin-1"), response.body)

    return fetch
