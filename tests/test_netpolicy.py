"""The address policy (govcrawl/netpolicy.py): which addresses govcrawl may connect to."""
import pytest

from govcrawl.netpolicy import AddressPolicy, parse_networks

REFUSED = {
    "127.0.0.1": "loopback", "127.0.0.2": "loopback", "::1": "loopback",
    "169.254.169.254": "link-local", "fe80::1": "link-local",
    "10.1.2.3": "private", "172.16.0.1": "private", "172.31.255.254": "private", "192.168.1.1": "private",
    "fd12:3456::1": "private", "fc00::1": "private",
    "100.64.0.1": "carrier-grade NAT", "100.127.255.254": "carrier-grade NAT",
    "224.0.0.1": "multicast", "239.255.255.250": "multicast", "ff02::1": "multicast",
    "255.255.255.255": "broadcast", "240.0.0.1": "reserved", "0.0.0.0": "unspecified", "::": "unspecified",
    "0.1.2.3": "reserved", "192.0.2.1": "reserved", "198.18.0.1": "reserved", "2001:db8::1": "reserved",
    "::ffff:127.0.0.1": "loopback", "::ffff:169.254.169.254": "link-local", "::ffff:10.0.0.1": "private",
    "64:ff9b::a00:1": "private", "2002:7f00:1::": "loopback", "::127.0.0.1": "loopback",
}
PUBLIC = ["8.8.8.8", "58.20.1.1", "202.103.96.1", "100.128.0.1", "172.32.0.1", "2400:3200::1", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address, kind", sorted(REFUSED.items()))
def test_non_public_addresses_are_refused_by_default(address, kind):
    reason = AddressPolicy().refusal(address)
    assert reason is not None and kind in reason and "GOVCRAWL_ALLOWED_NETWORKS" in reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert AddressPolicy().refusal(address) is None


def test_an_allowed_network_opens_that_network_only():
    policy = AddressPolicy(parse_networks("10.20.0.0/16, 127.0.0.3/32"))
    assert policy.refusal("10.20.5.6") is None and policy.refusal("127.0.0.3") is None
    assert policy.refusal("10.21.0.1") and policy.refusal("127.0.0.1") and policy.refusal("169.254.169.254")


def test_a_proxy_is_allowed_as_a_proxy_never_as_a_target():
    policy = AddressPolicy()
    policy.allow_proxy("http://127.0.0.1:8899")
    assert policy.refusal("127.0.0.1", 8899, proxy_ok=True) is None
    assert policy.refusal("127.0.0.1", 0, proxy_ok=True) is None           # Twisted does not say the port
    assert policy.refusal("127.0.0.1", 6379, proxy_ok=True)                # another port of the proxy's host
    assert policy.refusal("127.0.0.1", 8899)                               # as a request's target
    policy.allow_proxy("http://localhost:3128")
    assert policy.refusal("::1", 3128, host="localhost", proxy_ok=True) is None


def test_a_name_is_named_in_the_reason():
    assert "evil.example → 127.0.0.1 is loopback" in AddressPolicy().refusal("127.0.0.1", 80, host="evil.example")


@pytest.mark.parametrize("bad", ["10.0.0.0/33", "intranet", "10.0.0.1/8/8"])
def test_a_bad_allowed_network_is_an_error_naming_the_setting(bad):
    with pytest.raises(ValueError, match=r"GOVCRAWL_ALLOWED_NETWORKS: .* is not a network"):
        parse_networks(["10.0.0.0/8", bad])
