"""The address policy: which network addresses govcrawl may connect to.

govcrawl runs inside government networks and next to the Redis of its distributed runs, and every URL it fetches
comes from a site under inspection (a redirect, a link, a script). By default it never connects to an address
that is not public: loopback, link-local (cloud metadata 169.254.169.254), private (RFC 1918, RFC 4193),
carrier-grade NAT, multicast, broadcast, reserved, unspecified, documentation and benchmarking ranges, and the
same behind IPv4-mapped, NAT64 and 6to4 IPv6 forms. GOVCRAWL_ALLOWED_NETWORKS names networks an operator allows
(an intranet inspection); the proxy govcrawl is told to use (the replay proxy, an operator's proxy) is allowed
itself, and nothing else through it.

Pure: no sockets, no DNS. govcrawl/netguard.py applies it where Scrapy and the browser connect.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Python's is_global misses some of these (CGNAT is not global but not private either; 6to4 and NAT64 embed IPv4).
_NOT_PUBLIC = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
    "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "100::/64", "2001:db8::/32",
    "2001::/23",
)]
_PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def parse_networks(value, source: str = "GOVCRAWL_ALLOWED_NETWORKS") -> list[Network]:
    """A list of CIDRs (a list, or one string split on commas and spaces); a bad entry is an error naming it."""
    if value is None:
        return []
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
        except ValueError:
            raise ValueError(f"{source}: {item!r} is not a network (expected CIDRs such as 10.20.0.0/16)") from None
    return networks


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (IPv4-mapped, IPv4-compatible, NAT64, 6to4), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if int(address) >> 32 == 0 and int(address) > 1:   # ::a.b.c.d (deprecated IPv4-compatible)
        return ipaddress.IPv4Address(int(address))
    return None


def why_not_public(address: Address) -> str | None:
    """None for a public unicast address; otherwise what kind of address it is."""
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = why_not_public(inner)
        return f"{reason} (inside {address})" if reason else None
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address == ipaddress.IPv4Address("255.255.255.255"):
        return "broadcast"
    if address in ipaddress.ip_network("100.64.0.0/10"):
        return "carrier-grade NAT"
    if any(address in net for net in _PRIVATE):
        return "private"
    if address.is_reserved or any(address in net for net in _NOT_PUBLIC) or not address.is_global:
        return "reserved"
    return None


def ip_literal(host: str) -> Address | None:
    """The address when a URL's host is an IP literal (brackets and an IPv6 zone allowed), else None."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


@dataclass
class AddressPolicy:
    """Refuses every non-public address except the allowed networks and the proxies govcrawl was told to use."""

    allowed: list[Network] = field(default_factory=list)
    proxies: set[tuple[str, int | None]] = field(default_factory=set)   # (address or name, port)

    @classmethod
    def from_settings(cls, settings) -> "AddressPolicy":
        return cls(parse_networks(settings.get("GOVCRAWL_ALLOWED_NETWORKS")))

    def allow_proxy(self, proxy_url: str) -> None:
        """The proxy govcrawl connects to is the operator's choice: its own address is allowed (that port only)."""
        parts = urlsplit(proxy_url if "://" in proxy_url else f"http://{proxy_url}")
        if parts.hostname:
            self.proxies.add((parts.hostname.lower(), parts.port or (443 if parts.scheme == "https" else 80)))

    def is_proxy(self, host: str, port: int | None = None) -> bool:
        host = host.strip("[]").lower()
        return any(h == host and (port in (None, 0) or p == port) for h, p in self.proxies)

    def refusal(self, address: str | Address, port: int | None = None, host: str | None = None,
                proxy_ok: bool = False) -> str | None:
        """Why a connection to this address is refused, or None when it is allowed. `proxy_ok`: the connection is
        to a proxy (the configured ones are allowed); a request's target never is."""
        ip = address if not isinstance(address, str) else ip_literal(address)
        if ip is None:
            return f"address policy: {address!r} is not an IP address"
        if proxy_ok and (self.is_proxy(str(ip), port) or (host is not None and self.is_proxy(host, port))):
            return None
        kind = why_not_public(ip)
        if kind is None or any(ip.version == net.version and ip in net for net in self.allowed):
            return None
        name = f"{host} → " if host and host.strip("[]") != str(ip) else ""
        return f"address policy: {name}{ip} is {kind} (allow it with GOVCRAWL_ALLOWED_NETWORKS)"

