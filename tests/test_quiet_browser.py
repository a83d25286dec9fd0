"""A quiet browser: during a crawl with rendering Chromium talks to the crawl's proxy about the crawl's pages, and to
no one else — no component or extension updates, no Google services, no DNS lookup or DNS-over-HTTPS of its own.

1. The demo crawled with rendering through the replay proxy: every host the proxy saw is one the crawl asked for or
   one a crawled page names (its subresources); decorative third-party footer scripts are not requested at all.
2. The browser's system calls traced (strace -f): its only TCP connections go to the proxy, and it sends no datagram
   (no DNS query) and asks no resolver service. (A UDP socket connect()ed to 2001:4860:4860::8888 without sending
   anything is Chromium's IPv6 reachability probe: the kernel only picks a route, no packet leaves.)
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DEMO, ROOT, crawl
from govcrawl.browser import PLAYWRIGHT_DISABLED_FEATURES, behind_launcher, find_chromium
from govcrawl.replay.proxy import ReplayServer

GOOGLE = re.compile(r"google|gvt\d|gstatic|doubleclick", re.I)


def test_proxy_sees_only_the_crawls_hosts_and_their_subresources():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "proxy_hosts.py")], cwd=ROOT, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    hosts = report["requests_by_host"]
    assert report["not_named_by_any_crawled_page"] == []
    assert not [h for h in hosts if GOOGLE.search(h)]
    # the 找错 and 党政机关 footer scripts of every page are blocked, never fetched
    assert not {"dcs.conac.cn", "zfwzgl.www.gov.cn", "pucha.kaipuyun.cn"} & set(hosts)
    stats = report["stats"]
    assert stats["govcrawl/rendered_requests"] >= 5 and stats["govcrawl/subresources/pages"] >= 5
    assert stats["govcrawl/subresources/blocked"] > 0


TCP = re.compile(r"connect\(\d+<TCPv?6?:\[[^>]*>, \{sa_family=AF_INET6?, sin6?_port=htons\((\d+)\)"
                 r".*?(?:inet_addr\(\"([^\"]+)\"\)|inet_pton\(AF_INET6, \"([^\"]+)\")")
UDP_CONNECT = re.compile(r"connect\(\d+<UDPv?6?:.*?sin6?_port=htons\((\d+)\)")
UDP_PEER = re.compile(r"send(?:to|msg|mmsg)\(\d+<UDPv?6?:[^>]*->\[?([0-9a-fA-F.:]+?)\]?:\d+\]>")
INET_SEND = re.compile(r"send(?:to|msg|mmsg)\(.*?sin6?_port=htons\(\d+\).*?(?:inet_addr\(\"([^\"]+)\"\)|"
                       r"inet_pton\(AF_INET6, \"([^\"]+)\")")
RESOLVER = re.compile(r"connect\(\d+<UNIX.*?sun_path=\"[^\"]*(?:resolve|nscd)", re.I)


def loopback(address: str) -> bool:
    return address.startswith("127.") or address == "::1"


def own_traffic(trace: str, proxy_port: int | None) -> tuple[list[str], int]:
    """(the lines where the browser reached out on its own, connections to the proxy). With `proxy_port` None the
    proxy is govcrawl's guard proxy (a loopback port chosen at run time): every loopback connection must then go to
    one and the same port."""
    bad, to_proxy, ports = [], 0, set()
    for line in trace.splitlines():
        tcp = TCP.search(line)
        if tcp:
            port, address = int(tcp.group(1)), tcp.group(2) or tcp.group(3)
            if loopback(address) and (port == proxy_port or proxy_port is None):
                to_proxy += 1
                ports.add(port)
            else:
                bad.append(line)
            continue
        udp = UDP_CONNECT.search(line)
        if (udp and udp.group(1) == "53") or RESOLVER.search(line):
            bad.append(line)
            continue
        peer = UDP_PEER.search(line)
        if peer and not loopback(peer.group(1)):
            bad.append(line)
            continue
        inet = INET_SEND.search(line)
        if inet and not loopback(inet.group(1) or inet.group(2)):
            bad.append(line)
    if len(ports) > 1:
        bad.append(f"loopback connections to {len(ports)} ports: {sorted(ports)}")
    return bad, to_proxy


def test_browser_makes_no_connection_or_dns_query_of_its_own(tmp_path):
    assert shutil.which("strace"), "strace is missing: `make system` installs it"
    trace = tmp_path / "trace"
    wrapper = tmp_path / "chromium-traced"
    wrapper.write_text(f"#!/bin/sh\nexec strace -f -qq -yy -e trace=connect,sendto,sendmsg,sendmmsg -o {trace} "
                       f"{behind_launcher(find_chromium())} \"$@\"\n")
    wrapper.chmod(0o755)
    server = ReplayServer(DEMO).start()
    try:
        # a script-built list (rendered) and a failing site (its screenshot is taken)
        result = crawl(tmp_path / "q.db", "-a", f"proxy={server.url}", "-a", "sites=4301000041,4300000017",
                       "-s", f"GOVCRAWL_CHROMIUM={wrapper}")
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "govcrawl/rendered_requests" in result.stderr and "govcrawl/screenshots" in result.stderr
    # Chromium's proxy is govcrawl's guard proxy (README "Security"), which forwards to the replay server
    bad, to_proxy = own_traffic(trace.read_text(errors="replace"), None)
    assert to_proxy > 0, "the trace shows no connection to the proxy: strace did not follow the browser"
    assert bad == []


def test_the_trace_reader_sees_what_it_must_refuse():
    lines = [
        '9 connect(22<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16) = 0',
        '9 connect(23<UDP:[2]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0',
        '9 sendto(24<UDPv6:[[::]:5->[2001:4860:4860::8888]:443]>, "x", 1, 0, NULL, 0) = 1',
        '9 connect(25<UNIX:[3]>, {sa_family=AF_UNIX, sun_path="/run/systemd/resolve/io.systemd.Resolve"}, 42) = 0',
        '9 connect(26<TCP:[4]>, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '9 connect(27<UDPv6:[5]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
    ]
    bad, to_proxy = own_traffic("\n".join(lines), 8080)
    assert to_proxy == 1 and len(bad) == 4 and not any("fd27" in b or "27<" in b for b in bad)
    guard_then_redis = lines[4] + "\n" + lines[4].replace("8080", "6379")  # the guard proxy's port is not known
    assert own_traffic(lines[4], None) == ([], 1) and len(own_traffic(guard_then_redis, None)[0]) == 1
    assert os.path.basename(behind_launcher("/no/such/chromium")) == "chromium"


def test_our_disable_features_switch_keeps_playwrights():
    """Chromium has kept only the last --disable-features switch: ours must repeat every feature Playwright disables."""
    import playwright

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    source = bundle.read_text(encoding="utf-8")
    listed = re.search(r"disabledFeatures = \[(.*?)\]\.filter", source, re.S)
    assert listed, f"{bundle}: Playwright's disabledFeatures list not found (its source changed: look again)"
    theirs = set(re.findall(r'^\s*"(\w+)"', listed.group(1), re.M)) - {"msForceBrowserSignIn",
                                                                      "msEdgeUpdateLaunchServicesPreferredVersion",
                                                                      "TcpPortRandomizationWin"}
    assert theirs and theirs <= set(PLAYWRIGHT_DISABLED_FEATURES)
