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

from govcrawl.crawlrun import find_run
from govcrawl.encoding import decode_html, declared_charsets
from govcrawl.guardproxy import GUARD_HOST, GuardProxy
from govcrawl.netguard import active_guard, checked_address, guard_browser_page
from govcrawl.subresources import PageCounts, SubresourceCache, scrapy_fetcher

logger = logging.getLogger(__name__)

SYSTEM_CHROMIUM = "/usr/bin/chromium"
# Debian's /usr/bin/chromium is a shell launcher that adds --enable-remote-extensions, --load-extension and Google
# API keys: with them the browser checks update.googleapis.com for extension updates and talks to Google accounts.
# The binary behind it is launched directly instead.
DEBIAN_LAUNCHER_BINARY = "/usr/lib/chromium/chromium"
PATH_NAMES = ("chromium", "chromium-browser")
# ENGINEERING-NOTES: without the background-networking flags Chromium keeps calling Google and fills the logs.
# (the background-networking ones are in QUIET_ARGS below)
BASE_ARGS = ("--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--mute-audio")
# A quiet browser (issue 18): Chromium makes no request and no DNS lookup of its own. Playwright already passes
# --disable-background-networking, --disable-component-update, --disable-field-trial-config, --disable-breakpad,
# --metrics-recording-only, --disable-default-apps, --disable-extensions, --no-service-autorun; these add the rest.
# Chromium has kept only the last --disable-features switch given, so this one repeats Playwright's list first.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled",
    "PreconnectToSearch")
QUIET_DISABLED_FEATURES = (
    "DnsOverHttps", "DnsHttpssvc", "UseDnsHttpsSvcb", "AsyncDns", "OptimizationGuideModelDownloading",
    "OptimizationHintsFetching", "OptimizationTargetPrediction", "Translate", "TranslateUI",
    "AutofillServerCommunication", "CertificateTransparencyComponentUpdater", "SafeBrowsingEnhancedProtection",
    "InterestFeedContentSuggestions", "PrivacySandboxSettings4", "NetworkPrediction", "CrashReporting",
    "DomainReliability", "ComponentUpdater", "UkmCollection", "SegmentationPlatform")
QUIET_ARGS = (
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
    "--disable-extensions", "--disable-component-extensions-with-background-pages", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--safebrowsing-disable-auto-update", "--disable-breakpad",
    "--disable-crash-reporter", "--metrics-recording-only", "--disable-field-trial-config", "--no-pings",
    "--no-default-browser-check", "--dns-prefetch-disable", "--disable-features=" +
    ",".join(PLAYWRIGHT_DISABLED_FEATURES + QUIET_DISABLED_FEATURES),
)
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


def behind_launcher(path: str, binary: str = DEBIAN_LAUNCHER_BINARY) -> str:
    """The Chromium binary a distribution's launcher script would start, else `path` itself."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return path
    if head.startswith(b"#!") and b"CHROMIUM_FLAGS" in head and _usable(binary):
        return binary
    return path


def quiet_env(environ: dict | None = None) -> dict:
    """The browser's environment without Google API keys (without them Chromium signs in to no Google service)."""
    return {k: v for k, v in (os.environ if environ is None else environ).items() if not k.startswith("GOOGLE_")}


def chinese_fonts() -> list[str]:
    """Font files that cover Chinese (`fc-list :lang=zh`); empty when none is installed or fontconfig is missing."""
    import subprocess

    try:
        result = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


@functools.cache
def warn_if_no_chinese_font() -> bool:
    """Once per process: screenshots without a CJK font show a box for every Chinese character."""
    if chinese_fonts():
        return False
    logger.warning("no font covers Chinese (`fc-list :lang=zh` finds none): evidence screenshots will show boxes "
                   "instead of Chinese text. Install one: apt-get install fonts-noto-cjk (or run `make browser`).")
    return True


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# Some components are still fetched on demand whatever the flags (Chromium 156 asks update.googleapis.com for one).
# Pages always load through their context's proxy (context_kwargs); the browser-wide proxy only carries the
# browser's own traffic, so it points at a name that can never resolve: those requests fail inside Chromium.
OWN_TRAFFIC_PROXY = "http://browser-own-traffic.invalid:9"
# Without a proxy the browser must resolve the sites' names itself; Google's service names never resolve.
GOOGLE_SERVICE_HOSTS = ("*.google.com", "*.googleapis.com", "*.gvt1.com", "*.gvt2.com", "*.gstatic.com",
                        "*.googleusercontent.com", "*.google-analytics.com", "*.doubleclick.net", "dns.google")


def quiet_args(proxy: str | None) -> list[str]:
    """The quiet flags. With a proxy every name is left to the proxy to resolve: a lookup the browser would make
    itself fails at once, without a DNS query (only the proxy's own name is resolved), and its own requests have
    nowhere to go. Without a proxy, Google's service names fail the same way."""
    args = list(QUIET_ARGS)
    if proxy:
        proxy_host = urlsplit(proxy).hostname or ""
        return args + [f"--proxy-server={OWN_TRAFFIC_PROXY}",
                       f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {proxy_host}"]
    return args + ["--host-resolver-rules=" + " , ".join(f"MAP {h} ~NOTFOUND" for h in GOOGLE_SERVICE_HOSTS)]


def launch_options(executable: str, base: dict | None = None, root: bool | None = None,
                   proxy: str | None = None) -> dict:
    """Playwright launch options for Chromium: the ENGINEERING-NOTES flags, the quiet flags (`proxy`: the crawl's
    proxy, also for the browser's own traffic), the sandbox off only for root (Chromium refuses to run sandboxed as
    root). Playwright gives every launch a fresh temporary profile directory of its own and removes it on close,
    so runs never share cookies or caches."""
    root = is_root() if root is None else root
    options = dict(base or {})
    args = list(options.get("args") or [])
    wanted = list(BASE_ARGS) + quiet_args(proxy) + (["--no-sandbox"] if root else [])
    options["args"] = args + [a for a in wanted if a not in args]
    options["executable_path"] = behind_launcher(executable)
    options.setdefault("env", quiet_env())
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

    def __init__(self, config, configured: str | None = None, proxy=lambda: None):
        super().__init__(config)
        self.configured = configured
        self.proxy = proxy   # the crawl's proxy, known once the spider has started

    async def launch_browser(self):
        if not (self.config.cdp_url or self.config.connect_url):
            executable = find_chromium(self.configured, self.browser_type.executable_path)
            self.config.launch_options = launch_options(executable, self.config.launch_options, proxy=self.proxy())
            logger.info("rendering with Chromium %s", executable)
        return await super().launch_browser()


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler plus: Chromium discovery, the charset fix on documents, a hard per-request
    time limit (GOVCRAWL_RENDER_TIMEOUT: an endless script blocks page.content() forever), and context
    recycling every GOVCRAWL_BROWSER_RECYCLE_PAGES pages (long-lived contexts grow without bound)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self.browser_provider_cls = functools.partial(ChromiumProvider, configured=settings.get("GOVCRAWL_CHROMIUM"),
                                                      proxy=lambda: f"http://{GUARD_HOST}")  # through_guard_proxy
        self.render_timeout = settings.getfloat("GOVCRAWL_RENDER_TIMEOUT", 60.0)
        self.recycle_after = settings.getint("GOVCRAWL_BROWSER_RECYCLE_PAGES", 50)
        if settings.getbool("GOVCRAWL_RENDER", True) or settings.getbool("GOVCRAWL_SCREENSHOTS", True):
            warn_if_no_chinese_font()
        self.pages_done: dict[str, int] = {}
        self.subresources = SubresourceCache(scrapy_fetcher(crawler), self.stats, should_abort_request)
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
        counts = PageCounts()
        await page.route("**", self.subresources.handler(request.url, counts))  # third-party files, once per run
        await guard_browser_page(page, functools.partial(self.address_refusal, spider, request),
                                 on_refused=self.count_refused)  # registered last: the address policy runs first
        # The limit covers the page's own work only. Applied around the whole download it would also cancel
        # requests queued for a page slot, and a cancellation inside page creation leaks the slot and the page:
        # at scale every slot leaks and each render then waits for the limit with Chromium idle.
        try:
            response = await asyncio.wait_for(super()._download_request_with_page(request, page, spider),
                                              self.render_timeout)
            self.subresources.record(counts, request.meta)
            return response
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
        run = find_run(self.policy_crawler)
        return await checked_address(policy, resolver, url, replaying=run is not None and run.replaying)

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
