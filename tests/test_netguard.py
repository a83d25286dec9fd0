"""Where the address policy is enforced: the resolver every Scrapy connection goes through (connect time, so DNS
rebinding does not pass), the check before requests, and the browser's guard proxy."""
import asyncio

import pytest

from govcrawl.guardproxy import GuardProxy
from govcrawl.netguard import PolicyResolver, checked_address
from govcrawl.netpolicy import AddressPolicy, parse_networks


class Rebinding:
    """A name server that answers each lookup with the next of its answers (a DNS rebinding attacker)."""

    def __init__(self, *answers):
        self.answers = list(answers)

    def resolveHostName(self, receiver, host, port=0, *args):  # noqa: N802 — Twisted's interface
        from twisted.internet.address import IPv4Address

        receiver.resolutionBegan(None)
        for address in self.answers.pop(0):
            receiver.addressResolved(IPv4Address("TCP", address, port))
        receiver.resolutionComplete()


class FakeReactor:
    def __init__(self, resolver):
        self.nameResolver = resolver


class Receiver:
    def __init__(self):
        self.addresses = []

    def resolutionBegan(self, resolution):  # noqa: N802
        pass

    def addressResolved(self, address):  # noqa: N802
        self.addresses.append(address.host)

    def resolutionComplete(self):  # noqa: N802
        pass


def connect_addresses(resolver, host, port=80):
    receiver = Receiver()
    resolver.resolveHostName(receiver, host, port)
    return receiver.addresses


def test_the_connection_gets_only_allowed_addresses_whatever_the_name_answered_before():
    resolver = PolicyResolver(FakeReactor(Rebinding(["93.184.216.34"], ["127.0.0.1"], ["10.0.0.5", "93.184.216.34"])),
                              AddressPolicy(), cache_size=0)
    assert connect_addresses(resolver, "rebind.example") == ["93.184.216.34"]   # checked, then connected to
    assert connect_addresses(resolver, "rebind.example") == []                  # rebound to loopback: nothing
    assert "127.0.0.1 is loopback" in resolver.refused["rebind.example"]
    assert connect_addresses(resolver, "rebind.example") == ["93.184.216.34"]   # the private one is dropped


def test_the_configured_proxy_is_reachable_on_its_port_only():
    policy = AddressPolicy()
    resolver = PolicyResolver(FakeReactor(Rebinding(*[["127.0.0.1"]] * 3)), policy, cache_size=0)
    policy.allow_proxy("http://127.0.0.1:8899")
    assert connect_addresses(resolver, "127.0.0.1", 8899) == ["127.0.0.1"]
    assert connect_addresses(resolver, "127.0.0.1", 6379) == []


def test_an_allowed_intranet_is_reachable():
    resolver = PolicyResolver(FakeReactor(Rebinding(["10.20.1.2"])), AddressPolicy(parse_networks("10.20.0.0/16")))
    assert connect_addresses(resolver, "oa.intranet") == ["10.20.1.2"]


@pytest.mark.parametrize("url, refused", [
    ("http://127.0.0.1:6379/", True), ("http://[::ffff:169.254.169.254]/latest/", True), ("http://10.1.1.1/", True),
    ("http://93.184.216.34/", False), ("data:text/html,x", False),
])
def test_checked_address_names_the_reason(url, refused):
    resolver = PolicyResolver(FakeReactor(Rebinding()), AddressPolicy())
    reason, address = asyncio.run(checked_address(resolver.policy, resolver, url))
    assert (reason is not None) == refused and (address is None or not refused)
    if refused:
        assert reason.startswith("address policy:")


def test_replay_checks_ip_literals_and_never_resolves_names():
    resolver = PolicyResolver(FakeReactor(Rebinding()), AddressPolicy())   # no answers: a lookup would fail
    assert asyncio.run(checked_address(resolver.policy, resolver, "http://www.hn.gov.cn/", replaying=True)) == (None, None)
    assert asyncio.run(checked_address(resolver.policy, resolver, "http://127.0.0.1:9/", replaying=True))[0]


def test_the_guard_proxy_answers_a_refused_target_itself_and_never_connects():
    async def scenario():
        canary = await asyncio.start_server(lambda r, w: connections.append(1), "127.0.0.1", 0)
        port = canary.sockets[0].getsockname()[1]

        async def check(url):
            return ("address policy: 127.0.0.1 is loopback", None) if str(port) in url else (None, None)

        guard = GuardProxy(check)
        proxy_url = await guard.start()
        answers = []
        for request in (f"GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: x\r\n\r\n",
                        f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET http://nowhere.invalid/ HTTP/1.1\r\nHost: nowhere.invalid\r\n\r\n"):
            reader, writer = await asyncio.open_connection("127.0.0.1", int(proxy_url.rsplit(":", 1)[1]))
            writer.write(request.encode())
            answers.append(await reader.read())
            writer.close()
        await guard.close()
        canary.close()
        return answers

    connections = []
    answers = asyncio.run(scenario())
    assert answers[0].startswith(b"HTTP/1.1 403") and b"loopback" in answers[0]
    assert answers[1].startswith(b"HTTP/1.1 403")
    assert answers[2].startswith(b"HTTP/1.1 502")   # no address: never a default one
    assert connections == []
