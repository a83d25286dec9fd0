"""Script cookie challenges, cleared the way a visitor's browser clears them: once per host.

ChallengeMiddleware (a downloader middleware) looks at every plain-HTTP response. On a script challenge
(govcrawl/extract/challenges.py) it opens the URL once in Chromium through scrapy-playwright, with govcrawl's
User-Agent and the crawl's proxy, lets the site's own script run until the page is no longer the challenge, hands
the cookies the browser now holds for that URL to Scrapy's cookie jar, and sends the request again. Requests of the
host that were already on their way come back challenged too: they are re-sent with the new cookies, not solved
again (a per-host generation stamped on each request tells them apart). A challenge met by a request that already
carried the newest cookies means they expired: cleared again, up to GOVCRAWL_CHALLENGE_MAX_SOLVES per host.
So the solves of a host are 1 plus one per expiry, and bounded.

A person challenge (CAPTCHA, slider, SMS), a host out of solves or a browser that could not clear it: the response
goes on to the spider with meta `challenge` = {kind, label (with the reason)}; the site is then `incomplete`, never unreachable.
Every challenge met is recorded per site in the spider's `challenge_log`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from http.cookiejar import Cookie
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware

from govcrawl.encoding import decode_html
from govcrawl.extract.challenges import MAX_CHALLENGE_BYTES, Challenge, classify_challenge
from govcrawl.visit import VISIT, Visit, visit_or_none

logger = logging.getLogger(__name__)


@dataclass
class HostClearance:
    generation: int = 0          # clearances so far; each request carries the one it was sent with
    solves: int = 0
    failed: str | None = None    # why this host is no longer tried
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class SiteChallenges:
    """What one site met: the kinds, how often the browser cleared them, and why not when it did not."""
    kinds: list[str] = field(default_factory=list)
    solves: int = 0
    uncleared: list[str] = field(default_factory=list)   # "label：reason", once each

    def met(self, challenge: Challenge) -> None:
        if challenge.kind not in self.kinds:
            self.kinds.append(challenge.kind)

    def failed(self, challenge: Challenge, reason: str) -> str:
        text = f"{challenge.describe()}：{reason}" if reason else challenge.describe()
        if text not in self.uncleared:
            self.uncleared.append(text)
        return text

    def row(self) -> dict:
        """The site row's challenge columns (schema: sites)."""
        if not self.kinds:
            return {"challenge": None, "challenge_cleared": None, "challenge_solves": 0}
        return {"challenge": ",".join(self.kinds), "challenge_cleared": int(not self.uncleared),
                "challenge_solves": self.solves}


class ChallengeLog(dict):
    """site_code -> SiteChallenges."""

    def site(self, code: str | None) -> SiteChallenges:
        return self.setdefault(code, SiteChallenges())


def response_challenge(response) -> Challenge | None:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if len(response.body) > MAX_CHALLENGE_BYTES or (content_type and "html" not in content_type):
        return None
    text, _ = decode_html(response.body, content_type)
    set_cookies = b"; ".join(response.headers.getlist("Set-Cookie")).decode("latin-1")
    return classify_challenge(response.status, text, set_cookies)


def jar_cookie(c: dict) -> Cookie:
    """A Playwright cookie as http.cookiejar stores it (a leading dot means the domain and its subdomains)."""
    domain = c["domain"]
    expires = c.get("expires", -1)
    session = expires is None or expires < 0
    return Cookie(0, c["name"], c["value"], None, False, domain, domain.startswith("."), domain.startswith("."),
                  c.get("path") or "/", True, bool(c.get("secure")), None if session else int(expires), session,
                  None, None, {"HttpOnly": None} if c.get("httpOnly") else {})


async def cleared_cookies(page, url: str, timeout_s: float) -> list[dict]:
    """Page method: wait until the site's script has replaced the challenge with the site, then its cookies."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            await page.wait_for_load_state("load", timeout=max(100, (deadline - time.monotonic()) * 1000))
            html = await page.content()
        except Exception:  # noqa: BLE001 — the script is navigating right now; look again
            await asyncio.sleep(0.2)
            continue
        if classify_challenge(None, html) is None:
            return await page.context.cookies([url])
        await asyncio.sleep(0.25)
    return []


class ChallengeMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.enabled = s.getbool("GOVCRAWL_CHALLENGES", True) and s.getbool("GOVCRAWL_RENDER", True)
        self.max_solves = s.getint("GOVCRAWL_CHALLENGE_MAX_SOLVES", 4)
        self.timeout_s = s.getfloat("GOVCRAWL_CHALLENGE_TIMEOUT", 20.0)
        self.hosts: dict[str, HostClearance] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if not request.meta.get("playwright"):
            host = self.hosts.get(urlsplit(request.url).hostname or "")
            request.meta["challenge_generation"] = host.generation if host else 0

    async def process_response(self, request, response, spider=None):
        visit = visit_or_none(request)
        if request.meta.get("playwright") or (visit is not None and visit.role == "subresource"):
            return response
        challenge = response_challenge(response)
        if challenge is None:
            return response
        self.crawler.stats.inc_value(f"govcrawl/challenges/met/{challenge.kind}")
        record = self.log().site(visit.site_code if visit is not None else None)
        record.met(challenge)
        if challenge.needs_person:
            return self.pass_on(request, response, challenge, record, "")
        if not self.enabled:
            return self.pass_on(request, response, challenge, record, "浏览器已关闭（GOVCRAWL_RENDER/GOVCRAWL_CHALLENGES）")
        host = self.hosts.setdefault(urlsplit(request.url).hostname or "", HostClearance())
        async with host.lock:
            outcome = await self.clear(host, request, challenge, record)
        if isinstance(outcome, Request):
            return outcome
        return self.pass_on(request, response, challenge, record, outcome)

    async def clear(self, host: HostClearance, request, challenge: Challenge, record: SiteChallenges) -> Request | str:
        """The request to send again with the host's cookies, or why the host stays challenged."""
        if host.failed:
            return host.failed
        if request.meta.get("challenge_generation", 0) < host.generation:
            return self.again(request)    # cleared while this one was on its way: it goes again with the cookies
        if host.generation and request.meta.get("challenge_resent") == host.generation:
            host.failed = "浏览器取得的Cookie未被网站接受"
            return host.failed
        if host.solves >= self.max_solves:
            host.failed = f"已清除{host.solves}次仍被拦截（GOVCRAWL_CHALLENGE_MAX_SOLVES）"
            return host.failed
        host.solves += 1
        record.solves += 1
        self.crawler.stats.inc_value("govcrawl/challenges/solves")
        try:
            cookies = await self.solve(request)
        except Exception as exc:  # noqa: BLE001 — a browser failure leaves the site incomplete, not lost
            logger.warning("clearing the challenge of %s failed: %s", request.url, exc)
            host.failed = f"浏览器未能完成验证（{type(exc).__name__}）"
            return host.failed
        if not cookies:
            host.failed = f"浏览器{self.timeout_s:g}秒内未通过验证"
            return host.failed
        self.hand_to_jar(request, cookies)
        host.generation += 1
        self.crawler.stats.inc_value("govcrawl/challenges/cleared")
        logger.info("cleared %s at %s (%d cookies)", challenge.label, request.url, len(cookies))
        return self.again(request, resent=host.generation)

    def log(self) -> ChallengeLog:
        spider = self.crawler.spider
        if not hasattr(spider, "challenge_log"):
            spider.challenge_log = ChallengeLog()
        return spider.challenge_log

    def pass_on(self, request, response, challenge: Challenge, record: SiteChallenges, reason: str):
        self.crawler.stats.inc_value("govcrawl/challenges/uncleared")
        label = record.failed(challenge, reason)
        visit = visit_or_none(request)
        if visit is not None:   # the callback reads the page as challenged, never as the site's content
            visit.challenge = {"kind": challenge.kind, "label": label}
        return response

    @staticmethod
    def again(request, resent: int | None = None) -> Request:
        meta = {k: v for k, v in request.meta.items() if k not in ("_govcrawl_bytes", "download_slot")}
        if resent is not None:
            meta["challenge_resent"] = resent
        return request.replace(meta=meta, dont_filter=True)

    async def solve(self, request) -> list[dict]:
        """Open the URL once in Chromium (same User-Agent, same proxy) and return the cookies the site's script set."""
        from scrapy_playwright.page import PageMethod

        from govcrawl.browser import context_kwargs

        proxy = request.meta.get("proxy")
        browser_request = Request(request.url, dont_filter=True, meta={
            "playwright": True, "playwright_context": "proxy" if proxy else "direct",
            "playwright_context_kwargs": context_kwargs(proxy, self.crawler.settings.get("USER_AGENT")),
            "playwright_page_goto_kwargs": {"wait_until": "load", "timeout": self.timeout_s * 1000},
            "playwright_page_methods": [PageMethod(cleared_cookies, request.url, self.timeout_s)],
            VISIT: Visit(getattr(visit_or_none(request), "site_code", None), "challenge"), "dont_retry": True,
            "handle_httpstatus_all": True, "dont_redirect": True,
        })
        response = await self.crawler.engine.download_async(browser_request)
        return response.meta["playwright_page_methods"][0].result or []

    def hand_to_jar(self, request, cookies: list[dict]) -> None:
        """Into the cookie jar CookiesMiddleware sends this request's cookies from."""
        for middleware in self.crawler.engine.downloader.middleware.middlewares:
            if isinstance(middleware, CookiesMiddleware):
                jar = middleware.jars[request.meta.get("cookiejar")]
                for cookie in cookies:
                    jar.set_cookie(jar_cookie(cookie))
                return
        raise RuntimeError("COOKIES_ENABLED is off: cleared challenge cookies have no jar to go to")
