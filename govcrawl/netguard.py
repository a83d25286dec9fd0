"""Where the address policy (govcrawl/netpolicy.py) is enforced in Scrapy's download path.

- `PolicyResolver` (TWISTED_DNS_RESOLVER) is the name resolver every Scrapy connection goes through: it hands the
  connecting endpoint only the addresses the policy allows. The address checked is the address connected to, so a
  name that resolves to a public address when first checked and to 127.0.0.1 later (DNS rebinding) still cannot
  reach 127.0.0.1. Results are cached per name (like Scrapy's own resolver); the policy is applied on every use.
- `AddressPolicyMiddleware` (downloader middleware) checks every request before it is sent, whatever produced it
  (registry, HTTP 3xx, meta refresh, script redirect, link, pager, JSON endpoint, article, letter, robots.txt), so a
  refused request fails with a clear reason (`RequestRefused`, an IgnoreRequest: the request's errback records it).
  Through a proxy Scrapy connects to the proxy, not to the target: the target's name is resolved here and every
  address it has must be allowed (a name that resolves only at the proxy is the proxy's to resolve). Every request goes through the proxy the spider was given; in replay mode
  (`-a replay=`) that proxy answers from fixtures and never connects anywhere, so only IP-literal targets are
  checked (the same refusals as live) and names are not resolved.
"""
from __future__ import annotations

import logging
from time import monotonic
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.datatypes import LocalCache
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer, provider

from govcrawl.crawlrun import find_run
from govcrawl.netpolicy import AddressPolicy, ip_literal

logger = logging.getLogger(__name__)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
NEGATIVE_TTL = 60.0   # s a failed lookup is remembered by the check before requests


class RequestRefused(IgnoreRequest):
    """A request the address policy refuses; str() is the reason (recorded in `fetches` or `links`)."""


def refused_reason(failure_or_exception) -> str | None:
    """The policy's reason when a download failed because of the address policy, else None."""
    exc = getattr(failure_or_exception, "value", failure_or_exception)
    return str(exc) if isinstance(exc, RequestRefused) else None


def target_of(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or "").rstrip("."), parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)


@provider(IResolutionReceiver)
class _Collector:
    """Gathers a resolution's addresses into a Deferred (the original resolver is callback-based)."""

    def __init__(self):
        self.addresses: list[str] = []
        self.done: defer.Deferred = defer.Deferred()

    def resolutionBegan(self, resolution) -> None:
        pass

    def addressResolved(self, address) -> None:
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        self.done.callback(self.addresses)


@implementer(IHostnameResolver)
class PolicyResolver:
    """Scrapy's TWISTED_DNS_RESOLVER: resolves through the reactor's own resolver, caches, and passes on only the
    addresses the policy allows (the proxies govcrawl was told to use included)."""

    def __init__(self, reactor, policy: AddressPolicy, cache_size: int = 10000):
        self.reactor = reactor
        self.original = reactor.nameResolver
        self.policy = policy
        self.cache: LocalCache[str, list[str]] = LocalCache(cache_size)
        self.refused: LocalCache[str, str] = LocalCache(1000)
        self.failed: LocalCache[str, float] = LocalCache(10000)

    @classmethod
    def from_crawler(cls, crawler, reactor):
        return cls(reactor, AddressPolicy.from_settings(crawler.settings),
                   crawler.settings.getint("DNSCACHE_SIZE", 10000) if crawler.settings.getbool("DNSCACHE_ENABLED", True) else 0)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def lookup(self, host: str, port: int = 0, recent_failure_ok: bool = False) -> defer.Deferred:
        """Every address a name has (an IP literal is its own), uncached names resolved once. With
        `recent_failure_ok`, a name that failed to resolve in the last NEGATIVE_TTL seconds is not asked again
        (the check before each request; a connection always asks again)."""
        if ip_literal(host) is not None:
            return defer.succeed([str(ip_literal(host))])
        if host in self.cache:
            return defer.succeed(list(self.cache[host]))
        if recent_failure_ok and monotonic() - self.failed.get(host, -NEGATIVE_TTL) < NEGATIVE_TTL:
            return defer.succeed([])
        collector = _Collector()
        self.original.resolveHostName(collector, host, port)
        return collector.done.addCallback(self._remember, host)

    def _remember(self, addresses: list[str], host: str) -> list[str]:
        if addresses and self.cache.limit:
            self.cache[host] = list(addresses)
        elif not addresses:
            self.failed[host] = monotonic()
        return addresses

    def resolveHostName(self, resolutionReceiver, hostName, portNumber=0, addressTypes=None, transportSemantics="TCP"):
        from twisted.internet.address import IPv4Address, IPv6Address
        from twisted.internet._resolver import HostResolution

        resolution = HostResolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)

        def deliver(addresses):
            for address in addresses:
                reason = self.policy.refusal(address, portNumber, hostName, proxy_ok=True)
                if reason:
                    self.refused[hostName] = reason
                    logger.warning("refused to connect: %s", reason)
                    continue
                cls = IPv6Address if ":" in address else IPv4Address
                if addressTypes is None or cls in addressTypes:
                    resolutionReceiver.addressResolved(cls("TCP", address, portNumber))
            resolutionReceiver.resolutionComplete()

        def failed(failure):
            logger.debug("resolving %s failed: %s", hostName, failure.value)
            resolutionReceiver.resolutionComplete()

        self.lookup(hostName, portNumber).addCallbacks(deliver, failed)
        return resolution


class AddressPolicyMiddleware:
    """Refuses a request whose target the policy does not allow, before anything is sent; keeps every request of a
    spider that has a proxy on that proxy (robots.txt and any request made without the spider's meta included)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._guard = None

    @property
    def guard(self) -> tuple[AddressPolicy, PolicyResolver]:
        if self._guard is None:   # looked up on first use: Scrapy installs its resolver when the reactor starts
            self._guard = active_guard(self.crawler.settings)
        return self._guard

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        run = find_run(self.crawler)
        proxy = run.proxy if run is not None else None
        if proxy and not request.meta.get("proxy"):
            request.meta["proxy"] = proxy
        policy, resolver = self.guard
        if request.meta.get("proxy"):
            policy.allow_proxy(request.meta["proxy"])
        reason = await target_refusal(policy, resolver, request.url,
                                      replaying=run is not None and run.replaying)
        if reason:
            self.crawler.stats.inc_value("govcrawl/address_refused")
            logger.info("refused %s: %s", request.url, reason)
            raise RequestRefused(reason)
        return None


async def checked_address(policy: AddressPolicy, resolver: PolicyResolver, url: str,
                          replaying: bool = False) -> tuple[str | None, str | None]:
    """(why a connection for `url` is refused, or None; the checked address to connect to, when known). Every
    address the host has must be allowed."""
    host, port = target_of(url)
    if not host:
        return None, None   # not a network URL (data:, about:)
    if replaying and ip_literal(host) is None:
        return None, None   # the replay proxy answers names from fixtures and connects nowhere
    try:
        addresses = await maybe_deferred_to_future(resolver.lookup(host, port, recent_failure_ok=True))
    except Exception:  # noqa: BLE001
        addresses = []
    if not addresses:
        # direct: the download reports the DNS failure itself. Through a proxy, a name only the proxy can resolve
        # (a proxy-only network) is the proxy's to resolve: what lies behind it is the operator's choice of proxy.
        return None, None
    for address in addresses:
        reason = policy.refusal(address, port, host)
        if reason:
            return reason, None
    return None, addresses[0]


async def target_refusal(policy: AddressPolicy, resolver: PolicyResolver, url: str,
                         replaying: bool = False) -> str | None:
    """Why a request for `url` is refused, or None."""
    return (await checked_address(policy, resolver, url, replaying))[0]


def active_guard(settings) -> tuple[AddressPolicy, PolicyResolver]:
    """The policy and resolver in force: the installed PolicyResolver's, or (with another resolver configured) a
    policy of our own that is then checked before requests only."""
    from twisted.internet import reactor

    resolver = reactor.nameResolver
    if isinstance(resolver, PolicyResolver):
        return resolver.policy, resolver
    logger.warning("TWISTED_DNS_RESOLVER is not govcrawl.netguard.PolicyResolver: the address policy is "
                   "checked before requests only, not where connections are made")
    policy = AddressPolicy.from_settings(settings)
    return policy, PolicyResolver(reactor, policy)


# -- the browser ---------------------------------------------------------------------------------------------
async def guard_browser_page(page, refusal, on_refused=None) -> None:
    """Route every request of a rendered page (documents, iframes, scripts, XHR/fetch, POST beacons, and popups of
    its context) through `refusal(url) -> reason | None`, and never open a WebSocket (no page govcrawl reads
    needs one). Registered after the page's other route handlers, so it runs before them."""

    async def check(route, request):
        reason = await refusal(request.url)
        if reason:
            if on_refused is not None:
                on_refused(request.url, reason)
            await route.abort("blockedbyclient")
            return
        await route.fallback()

    async def no_websocket(ws):
        await ws.close(code=1008, reason="govcrawl opens no WebSocket")

    context = page.context
    if not getattr(context, "_govcrawl_guarded", False):   # popups and workers of the context
        context._govcrawl_guarded = True
        await context.route("**", check)
        await context.route_web_socket("**", no_websocket)
    await page.route("**", check)
    await page.route_web_socket("**", no_websocket)
