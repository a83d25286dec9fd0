"""The bench's latency model (bench/network.py): seeded draws, overload answers from fragile hosts when a client has
more than two requests in flight, stalls released when the client hangs up, and the politeness lower bound."""
import concurrent.futures
import http.client
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import network  # noqa: E402

DEMO = ROOT / "fixtures" / "demo"
HOST = "czj.huaihua.gov.cn"


def test_model_draws_depend_on_seed_host_and_url_only():
    hosts = [f"s{i:04d}.bench.hunan.gov.cn" for i in range(200)]
    a, b = network.NetworkModel(8, hosts), network.NetworkModel(8, list(reversed(hosts)))
    assert (a.slow, a.fragile) == (b.slow, b.fragile)
    assert len(a.slow) == 4 and all(2.0 <= v <= 3.5 for v in a.slow.values())
    assert len(a.fragile) == 6 and set(a.fragile.values()) <= {429, 503} and not set(a.fragile) & set(a.slow)
    assert a.request(hosts[0], "http://x/1", 1) == b.request(hosts[0], "http://x/1", 1)
    others = [a.base_latency(h) for h in hosts if h not in a.slow]
    assert 0.2 < sorted(others)[len(others) // 2] < 0.45          # median about 300 ms
    stalls = sum(a.request(hosts[0], f"http://x/{i}", 1)[1] for i in range(5000))
    assert 20 < stalls < 80                                          # about 1 %



def test_a_site_that_needs_the_browser_is_among_the_fragile_hosts(tmp_path):
    """Renders add a page's own scripts and styles to a host's requests in flight: the bench must try that on a host
    that refuses a third request."""
    hosts = [f"s{i:04d}.bench.hunan.gov.cn" for i in range(200)]
    rendered = hosts[150:153]
    for seed in range(20):
        model = network.NetworkModel(seed, hosts, rendered)
        assert len(model.fragile) == 6 and len(set(model.fragile) & set(rendered)) >= 1
    registry = tmp_path / "registry.csv"
    registry.write_text("site_code,name,unit,url\n4300000001,甲,省直,http://a.gov.cn/\n4300000002,乙,省直,http://b.gov.cn/\n",
                        encoding="utf-8")
    (tmp_path / "browser-sites.txt").write_text("4300000002\n", encoding="utf-8")
    model = network.network_model(8, registry, tmp_path)
    assert model.rendered == ["b.gov.cn"] and list(model.fragile) == ["b.gov.cn"]
    pages = tmp_path / "hosts" / "www.b.gov.cn" / "xwzx"       # its homepage sends the crawl to its www. host
    pages.mkdir(parents=True)
    (pages / "index.html").write_text("<html></html>", encoding="utf-8")
    model = network.network_model(8, registry, tmp_path)
    assert model.rendered == ["www.b.gov.cn"] and list(model.fragile) == ["www.b.gov.cn"]


def _get(proxy_port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=30)
    try:
        conn.request("GET", f"http://{HOST}{path}")
        return conn.getresponse().status
    finally:
        conn.close()


def _logged(log: Path, count: int) -> list:
    """The log's rows once it holds `count` (a line is written just after its answer is sent)."""
    deadline = time.monotonic() + 5
    while len(rows := network.read_log(log)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return rows


@pytest.fixture
def fragile_server(tmp_path, monkeypatch):
    model = network.NetworkModel(1, [HOST])
    model.fragile = {HOST: 429}
    monkeypatch.setattr(model, "request", lambda host, url, nth: (0.5, url.endswith("/stall")))
    log = tmp_path / "requests.tsv"
    server = network.LatencyReplayServer(DEMO, model, log).start()
    yield server, log
    server.stop()
    server.log_file.close()


def test_fragile_host_answers_429_past_two_in_flight_and_the_log_counts_it(fragile_server):
    server, log = fragile_server
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = sorted(pool.map(lambda _: _get(server.port, "/"), range(4)))
    assert statuses.count(429) == 2 and statuses.count(429) + statuses.count(200) == 4
    assert [_get(server.port, "/") for _ in range(2)] == [200, 200]     # one at a time: no overload
    rows = _logged(log, 6)
    assert sum(r.overload for r in rows) == 2 and len(rows) == 6


def test_a_stall_ends_when_the_client_hangs_up(fragile_server):
    server, log = fragile_server
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=1)
    conn.request("GET", f"http://{HOST}/stall")
    with pytest.raises(TimeoutError):
        conn.getresponse()
    conn.close()
    [row] = _logged(log, 1)
    assert row.status == "stall" and row.seconds < 3      # not the full STALL_SECONDS


def test_politeness_bound_is_the_larger_of_the_slowest_host_and_the_whole_crawl():
    rows = [network.Held("slow", "ok", 3.0, False)] * 10 + [network.Held("fast", "ok", 0.2, False)] * 20
    bound = network.politeness_bound(rows, delay=0.5, per_domain=2, concurrent=64)
    assert bound.host == "slow" and bound.host_seconds == pytest.approx(10 * 3.5 / 2)
    assert bound.all_seconds == pytest.approx((30 + 4) / 64) and bound.seconds == bound.host_seconds
    wide = network.politeness_bound(rows, delay=0.5, per_domain=2, concurrent=1)
    assert wide.seconds == wide.all_seconds == pytest.approx(34)
