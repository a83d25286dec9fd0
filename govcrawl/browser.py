"""The browser behind rendered requests: which Chromium, how it is launched, what it may load, and the
scrapy-playwright download handler that applies all of it.

Only requests carrying meta playwright=True reach the browser; the browser itself is started on the first such
request, so a crawl that renders nothing never starts Chromium (and never needs one installed).
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

from govcrawl.encoding import decode_html, declared_charsets
from govcrawl.guardproxy import GuardProxy
from govcrawl.netguard import active_guard, checked_address, guard_browser_page

logger = logging.getLogger(__name__)

SYSTEM_CHROMIUM = "/usr/bin/chromium"
PATH_NAMES = ("chromium", "chromium-browser")
# ENGINEERING-NOTES: without the background-networking flags Chromium keeps calling Google and fills the logs.
BASE_ARGS = ("--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", "--no-first-run", "--mute-audio")
BLOCKED_TYPES = frozenset({"image", "font", "media"})
# Statistics and tracking scripts: they change nothing on the page and slow every load.
ANALYTICS = re.compile(
    r"(?:^|\.)(?:google-analytics\.com|googletagmanager\.com|hm\.baidu\.com|cnzz\.com|51\.la|51yes\.com|"
    r"growingio\.com|zhugeio\.com|doubleclick\.net|trs\.cn|webdig\.|sensorsdata\.cn|tongji\.baidu\.com)$", re.I)
ANALYTICS_PATH = re.compile(r"/module/visit/|/(?:ta|tj|stat|count|counter|analytics)\.(?:js|jsp|php|do)\b|/webdig\.js", re.I)


class ChromiumNotFound(RuntimeError):
    """No usable Chromium: the message names every place that was tried."""


@dataclass(frozen=True)
class Candidate:
    source: str      # GOVCRAWL_CHROMIUM | playwright | system | PATH
    path: str


def _usable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def chromium_candidates(configured: str | None, playwright_path: str | None) -> list[Candidate]:
    """Where to look, in order: the GOVCRAWL_CHROMIUM setting, Playwright's own browser, Debian's, then PATH."""
    found = [Candidate("GOVCRAWL_CHROMIUM", configured)] if configured else []
    if playwright_path:
        found.append(Candidate("playwright", playwright_path))
    found.append(Candidate("system", SYSTEM_CHROMIUM))
    for name in PATH_NAMES:
        found.append(Candidate("PATH", shutil.which(name) or f"{name} (on PATH)"))
    return found


def find_chromium(configured: str | None = None, playwright_path: str | None = None) -> str:
    tried = []
    for candidate in chromium_candidates(configured, playwright_path):
        if _usable(candidate.path):
            if tried:
                logger.info("using Chromium %s (%s); not usable: %s", candidate.path, candidate.source, "; ".join(tried))
            return candidate.path
        tried.append(f"{candidate.source}: {candidate.path}")
    raise ChromiumNotFound(
        "no Chromium found for rendering JavaScript pages. Tried " + "; ".join(tried) +
        ". Install one (Debian: apt-get install chromium; or `playwright install chromium`) "
        "or point the GOVCRAWL_CHROMIUM setting at a Chromium executable.")


def playwright_chromium_path() -> str | None:
    """Playwright's own Chromium, when `playwright install` has put it on this machine (outside an event loop)."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            return p.chromium.executable_path
    except Exception:  # noqa: BLE001 — no driver, no browser: simply not a candidate
        return None


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def launch_options(executable: str, base: dict | None = None, root: bool | None = None) -> dict:
    """Playwright launch options for Chromium: the ENGINEERING-NOTES flags, the sandbox off only for root
    (Chromium refuses to run sandboxed as root). Playwright gives every launch a fresh temporary profile
    directory of its own and removes it on close, so runs never share cookies or caches."""
    root = is_root() if root is None else root
    options = dict(base or {})
    args = list(options.get("args") or [])
    wanted = list(BASE_ARGS) + (["--no-sandbox"] if root else [])
    options["args"] = args + [a for a in wanted if a not in args]
    options["executable_path"] = executable
    options["chromium_sandbox"] = not root
    options.setdefault("headless", True)
    return options


def should_abort_request(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, fonts, media and analytics never load; the page's text does not need them."""
    if request.resource_type in BLOCKED_TYPES:
        return True
    parts = urlsplit(request.url)
    return bool(ANALYTICS.search(parts.hostname or "") or ANALYTICS_PATH.search(parts.path))


def charset_fix(body: bytes, content_type: str | None) -> str | None:
    """A Content-Type naming the charset the bytes really are in, when the served one is missing or wrong
    (Chromium would otherwise show GBK as windows-1252 mojibake); None when the header is right already."""
    if content_type and "html" not in content_type.lower():
        return None
    _, encoding = decode_html(body, content_type)
    header = declared_charsets(b"", content_type)
    if header and header[0] == encoding:
        return None
    if not header and encoding == "utf-8" and not re.search(rb"[\x80-\xff]", body[:65536]):
        return None
    return f"text/html; charset={encoding}"


async def fix_document_charset(route, request) -> None:
    """page.route handler: serve HTML documents with the charset their bytes are in; everything else passes on."""
    if request.resource_type != "document":
        await route.fallback()
        return
    try:
        response = await route.fetch(max_redirects=0)
    except Exception:  # noqa: BLE001 — let the normal path produce the browser's own error
        await route.fallback()
        return
    headers = response.headers
    content_type = headers.get("content-type")
    fixed = charset_fix(await response.body(), content_type) if 200 <= response.status < 300 else None
    if fixed is None:
        await route.fulfill(response=response)
        return
    await route.fulfill(response=response, headers={**headers, "content-type": fixed})


# -- scrapy-playwright wiring ------------------------------------------------------------------------
try:  # optional at import time so that the pure parts above work without scrapy-playwright
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
    from scrapy_playwright.provider import PlaywrightBrowserProvider
except ImportError:  # pragma: no cover
    ScrapyPlaywrightDownloadHandler = PlaywrightBrowserProvider = object  # type: ignore[misc,assignment]


class ChromiumProvider(PlaywrightBrowserProvider):
    """Finds Chromium when the first rendered request launches the browser, not before."""

    def __init__(self, config, configured: str | None = None):
        super().__init__(config)
        self.configured = configured

    async def launch_browser(self):
        if not (self.config.cdp_url or self.config.connect_url):
            executable = find_chromium(self.configured, self.browser_type.executable_path)
            self.config.launch_options = launch_options(executable, self.config.launch_options)
            logger.info("rendering with Chromium %s", executable)
        return await super().launch_browser()


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler plus: Chromium discovery, the charset fix on documents, a hard per-request
    time limit (GOVCRAWL_RENDER_TIMEOUT: an endless script blocks page.content() forever), and context
    recycling every GOVCRAWL_BROWSER_RECYCLE_PAGES pages (long-lived contexts grow without bound)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.browser_provider_cls = functools.partial(ChromiumProvider, configured=settings.get("GOVCRAWL_CHROMIUM"))
        self.render_timeout = settings.getfloat("GOVCRAWL_RENDER_TIMEOUT", 60.0)
        self.recycle_after = settings.getint("GOVCRAWL_BROWSER_RECYCLE_PAGES", 50)
        self.pages_done: dict[str, int] = {}
        self.start_lock = asyncio.Lock()
        self.started = False
        self.address_guard = None
        self.guard_proxies: dict[str | None, GuardProxy] = {}
        self.policy_crawler = crawler

    async def _maybe_launch_in_thread(self) -> None:
        """Nothing at engine start: Playwright and Chromium start with the first rendered request, if any."""

    def _engine_started(self):
        return None

    async def _start_once(self) -> None:
        async with self.start_lock:
            if not self.started:
                await self._launch()
                self.started = True

    async def _download_request_with_page(self, request, page, spider):
        await page.route("**", fix_document_charset)  # registered last, so it runs before the header handler
        await guard_browser_page(page, functools.partial(self.address_refusal, spider, request),
                                 on_refused=self.count_refused)  # last: the address policy runs first
        # The limit covers the page's own work only. Applied around the whole download it would also cancel
        # requests queued for a page slot, and a cancellation inside page creation leaks the slot and the page:
        # at scale every slot leaks and each render then waits for the limit with Chromium idle.
        try:
            return await asyncio.wait_for(super()._download_request_with_page(request, page, spider),
                                          self.render_timeout)
        except asyncio.TimeoutError:
            self.stats.inc_value("govcrawl/render_timeouts")
            # an Exception: scrapy-playwright then closes the page, which frees its slot
            raise TimeoutError(f"rendering took longer than {self.render_timeout:g} s") from None

    async def address_refusal(self, spider, request, url: str) -> str | None:
        return (await self.address_check(spider, url))[0]

    async def address_check(self, spider, url: str):
        if self.address_guard is None:
            self.address_guard = active_guard(self.policy_crawler.settings)
        policy, resolver = self.address_guard
        spider = spider or self.policy_crawler.spider   # Scrapy 2.13+ passes no spider to handlers
        return await checked_address(policy, resolver, url,
                                     replaying=getattr(spider, "replay_server", None) is not None)

    async def through_guard_proxy(self, request, spider) -> None:
        """Point the request's browser context at the local guard proxy (govcrawl/guardproxy.py), which forwards to
        the context's own proxy, if any: Chromium then connects nowhere but there."""
        kwargs = request.meta.get("playwright_context_kwargs")
        if kwargs is None:
            return
        upstream = (kwargs.get("proxy") or {}).get("server")
        guard = self.guard_proxies.get(upstream)
        if guard is None:
            guard = GuardProxy(functools.partial(self.address_check, spider), upstream, self.count_refused)
            await guard.start()
            self.guard_proxies[upstream] = guard
        request.meta["playwright_context_kwargs"] = {**kwargs, "proxy": {"server": guard.url, "bypass": ""}}

    def count_refused(self, url: str, reason: str) -> None:
        self.stats.inc_value("govcrawl/address_refused")
        self.stats.inc_value("govcrawl/address_refused/browser")
        logger.info("browser: refused %s: %s", url, reason)

    async def _download_request(self, request, spider=None):
        context = request.meta.get("playwright_context", "default")
        await self.through_guard_proxy(request, spider)
        await self._start_once()
        try:
            return await super()._download_request(request, spider)
        finally:
            await self._maybe_recycle(context)

    async def _close(self) -> None:
        await super()._close()
        for guard in self.guard_proxies.values():
            await guard.close()

    async def _maybe_recycle(self, name: str) -> None:
        self.pages_done[name] = self.pages_done.get(name, 0) + 1
        wrapper = self.context_wrappers.get(name)
        if (self.recycle_after <= 0 or wrapper is None or self.pages_done[name] < self.recycle_after
                or wrapper.context.pages):
            return
        self.pages_done[name] = 0
        self.stats.inc_value("govcrawl/browser_contexts_recycled")
        await _close_quietly(wrapper.context)  # scrapy-playwright's close callback forgets it; the next request makes a new one


async def _close_quietly(target) -> None:
    try:
        await asyncio.wait_for(target.close(), 10)
    except Exception:  # noqa: BLE001 — already gone or hung: nothing more to do
        logger.debug("closing %r failed", target, exc_info=True)



async def settle(page, timeout_ms: float = 5000) -> None:
    """Page method: let AJAX calls and script redirects finish (network idle), without failing when they never do."""
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Exception:  # noqa: BLE001 — a page that keeps polling is read as it stands
        logger.debug("%s did not settle within %s ms", page.url, timeout_ms)
    try:
        await page.wait_for_load_state("load", timeout=timeout_ms)
    except Exception:  # noqa: BLE001
        logger.debug("%s did not finish loading within %s ms", page.url, timeout_ms)


def context_kwargs(proxy: str | None, user_agent: str | None) -> dict:
    """Browser context options: Playwright sets proxies per context (never per request), so each proxy is a context."""
    # service workers would fetch outside the page's routes (README "Security")
    kwargs: dict = {"ignore_https_errors": True, "java_script_enabled": True, "service_workers": "block"}
    if proxy:
        kwargs["proxy"] = {"server": proxy, "bypass": ""}
    if user_agent:
        kwargs["user_agent"] = user_agent
    return kwargs
