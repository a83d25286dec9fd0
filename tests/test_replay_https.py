"""HTTPS replay and recording: CONNECT, a per-host certificate from the proxy's CA, the same fixture store."""
from __future__ import annotations

import json
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from govcrawl.replay.proxy import ReplayServer
from govcrawl.replay.record import RecordingProxy
from govcrawl.replay.store import FixtureStore

ROOT = Path(__file__).resolve().parent.parent
PAGE = "<html><body>安全页面 secure</body></html>".encode()


@pytest.fixture(scope="module")
def fixture(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("https")
    (root / "hosts" / "secure.gov.cn").mkdir(parents=True)
    (root / "hosts" / "secure.gov.cn" / "index.html").write_bytes(PAGE)
    (root / "hosts" / "secure.gov.cn" / "api@q=1").write_bytes(b'{"ok": 1}')
    manifest = {"responses": {"https://secure.gov.cn/old.html": {"status": 301, "headers": {"Location": "/"}},
                              "https://secure.gov.cn/api?q=1": {"content_type": "application/json"}}}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


@pytest.fixture(scope="module")
def server(fixture):
    with ReplayServer(fixture) as srv:
        yield srv


def opener(proxy_url: str, context: ssl.SSLContext):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    return urllib.request.build_opener(urllib.request.ProxyHandler({"https": proxy_url, "http": proxy_url}),
                                       urllib.request.HTTPSHandler(context=context), NoRedirect())


def get(proxy_url, context, url):
    try:
        with opener(proxy_url, context).open(url, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_https_fixture_replays_with_the_ca_as_trusted_root(server):
    context = ssl.create_default_context(cafile=str(server.ca_path))
    status, headers, body = get(server.url, context, "https://secure.gov.cn/")
    assert (status, body) == (200, PAGE)
    assert get(server.url, context, "https://secure.gov.cn/api?q=1")[1]["Content-Type"] == "application/json"
    status, headers, _ = get(server.url, context, "https://secure.gov.cn/old.html")
    assert (status, headers["Location"]) == (301, "/")                 # manifest keys are per scheme
    assert get(server.url, context, "http://secure.gov.cn/old.html")[0] == 404       # the http key is not the https one
    assert get(server.url, context, "https://secure.gov.cn/missing")[0] == 404
    assert server.stats()["tunnels"] >= 4


def test_a_client_that_verifies_against_the_system_roots_refuses(server):
    with pytest.raises(urllib.error.URLError) as info:
        get(server.url, ssl.create_default_context(), "https://secure.gov.cn/")
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert get(server.url, server.authority.client_context(), "https://secure.gov.cn/")[0] == 200  # still serving


def test_recording_proxy_records_https(server, tmp_path):
    out = tmp_path / "rec"
    with RecordingProxy(out, upstream_proxy=server.url) as recorder:
        status, _, body = get(recorder.url, recorder.authority.client_context(), "https://secure.gov.cn/")
    assert (status, body) == (200, PAGE)
    stored = FixtureStore(out).lookup("https://secure.gov.cn/")
    assert stored.status == 200 and stored.body == PAGE


SCRAPY_SCRIPT = """
import sys, scrapy
from scrapy.crawler import CrawlerProcess
class Probe(scrapy.Spider):
    name = "probe"
    async def start(self):
        yield scrapy.Request("https://secure.gov.cn/", meta={"proxy": sys.argv[1]})
    def parse(self, response):
        print("GOT", response.status, response.url, response.text.strip())
process = CrawlerProcess({"LOG_LEVEL": "ERROR", "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"})
process.crawl(Probe)
process.start()
"""


def test_scrapy_fetches_https_through_the_replay_proxy(server):
    """Scrapy's default TLS context does not verify, so replay certificates need no configuration."""
    result = subprocess.run([sys.executable, "-c", SCRAPY_SCRIPT, server.url], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert f"GOT 200 https://secure.gov.cn/ {PAGE.decode()}" in result.stdout, result.stderr[-2000:]
