"""Server-side request forgery (issue 14 point 1): no path of a crawl reaches the canary on 127.0.0.1 — with and
without a proxy, with and without the browser. tests/ssrf_site.py has the hostile sites and the canary."""
import os
import subprocess
import sys

import pytest
import sqlite_utils

from govcrawl.browser import find_chromium
from govcrawl.replay.record import RecordingProxy
from tests.conftest import ROOT
from tests.ssrf_site import CODES, Canary, HostileSites, registry_csv, start

try:
    find_chromium()
    HAVE_CHROMIUM = True
except Exception:  # noqa: BLE001
    HAVE_CHROMIUM = False


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    canary = start(Canary())
    sites = start(HostileSites(canary.url))
    root = tmp_path_factory.mktemp("ssrf")
    (root / "registry.csv").write_text(registry_csv(sites.url, canary.url), encoding="utf-8")
    proxy = RecordingProxy(root / "recorded").start()   # a real forward proxy: it connects wherever it is asked
    yield canary, sites, root, proxy
    proxy.stop()
    sites.shutdown()
    canary.shutdown()


def live_crawl(root, name, *args):
    db = root / f"{name}.db"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "provincial", "-a", f"registry={root / 'registry.csv'}",
           "-a", "as_of=2019-06-10", "-a", f"run={name}", "-s", f"GOVCRAWL_DB={db}", "-s", "DOWNLOAD_DELAY=0",
           "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_TIMEOUT=5", "-s", "RETRY_TIMES=0",
           "-s", "GOVCRAWL_ALLOWED_NETWORKS=127.0.0.3/32",
           "-s", "GOVCRAWL_RENDER_SETTLE=2", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(var, None)
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return sqlite_utils.Database(db), result.stderr


MODES = {"direct": (False, False), "proxy": (True, False), "browser": (False, True), "browser-proxy": (True, True)}


@pytest.fixture(scope="module", params=list(MODES))
def crawled(request, web):
    canary, sites, root, proxy = web
    use_proxy, browser = MODES[request.param]
    if browser and not HAVE_CHROMIUM:
        pytest.fail("no Chromium: `make browser` installs it")
    before = canary.connections
    # with the browser, evidence screenshots of the failing sites are taken too (another way to load their pages)
    args = (["-a", f"proxy={proxy.url}"] if use_proxy else []) + \
        ([] if browser else ["-s", "GOVCRAWL_RENDER=0", "-s", "GOVCRAWL_SCREENSHOTS=0"])
    db, log = live_crawl(root, request.param.replace("-", "_"), *args)
    return request.param, db, log, canary, before


def refused(db, run, key):
    code = CODES[key]
    fetches = [r["error"] for r in db.query("select error from fetches where run_id=? and site_code=? and error like "
                                            "'address policy%'", [run, code])]
    links = [(r["url"], r["reason"]) for r in db.query("select url, reason from links where run_id=? and site_code=? "
                                                       "and kind='refused'", [run, code])]
    return fetches, links


def test_the_canary_receives_nothing(crawled):
    mode, db, log, canary, before = crawled
    assert canary.connections == before, canary.requests
    assert canary.requests == []


def test_every_site_is_judged_and_nothing_crashes(crawled):
    mode, db, log, *_ = crawled
    run = mode.replace("-", "_")
    assert {r["site_code"] for r in db.query("select site_code from sites where run_id=? and judged_at is not null",
                                             [run])} == set(CODES.values())


@pytest.mark.parametrize("key, where", [("registry", "registry"), ("http-ip", "http-ip"), ("http-name", "localhost"),
                                        ("http-metadata", "169.254.169.254"), ("refresh", "refresh"),
                                        ("script", "script")])
def test_a_homepage_sent_to_the_canary_is_a_refused_visit_with_evidence(crawled, key, where):
    mode, db, *_ = crawled
    run = mode.replace("-", "_")
    site = db["sites"].get((run, CODES[key]))
    fetches, _ = refused(db, run, key)
    assert fetches and all("address policy" in f for f in fetches), fetches
    assert site["status"] == "unreachable" and "address policy" in site["status_reason"]
    assert site["final_url"] is None   # the scope never widened onto the refused address
    chain = site["redirect_chain"]
    assert '"refused"' in chain and where in chain


@pytest.mark.parametrize("path", ["/column", "/pager/2.html", "/article/0.html", "/data.json", "/letter/0.html",
                                  "/check", "/frame"])
def test_inner_pages_sent_to_the_canary_are_refused_links(crawled, path):
    mode, db, *_ = crawled
    run = mode.replace("-", "_")
    if path == "/data.json" and "browser" not in mode:
        path = "/inner/sjfb/"   # JSON endpoints are looked for only where rendering is allowed; unread without
        assert db["columns"].get((run, CODES["inner"], f"http://127.0.0.3:{port_of(db, run)}{path}"))["pages"] == 1
        return
    key = "frames" if path == "/frame" else "inner"
    _, links = refused(db, run, key)
    assert any(url.endswith(path) and "127.0.0.1 is loopback" in reason for url, reason in links), links
    assert db["sites"].get((run, CODES[key]))["reachable"] == 1 or key == "frames"


def test_the_browser_had_every_subresource_checked(crawled):
    mode, db, log, *_ = crawled
    refusals = [line for line in log.splitlines() if "browser: refused" in line]
    if "browser" not in mode:   # the static modes never start the browser, so nothing of a page's scripts ran
        assert refusals == [] and "playwright/page_count" not in log
        return
    for path in ("/iframe", "/xhr", "/beacon", "/form", "/computed"):
        assert any(path in line for line in refusals), (path, refusals)


def port_of(db, run):
    url = db["sites"].get((run, CODES["inner"]))["registered_url"]
    return url.split(":")[2].split("/")[0]
