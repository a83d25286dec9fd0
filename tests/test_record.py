"""Recording: FixtureStore.save, and RecordingProxy -> fixture -> ReplayServer round trips.

The "internet" is a ReplayServer on tests/fixtures_mini; the recorder uses it as its upstream proxy.
"""
from __future__ import annotations

import gzip
import json
import socket
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import brotli
import pytest

from govcrawl.replay.proxy import ReplayServer
from govcrawl.replay.record import RecordingProxy, decode_body
from govcrawl.replay.store import FixtureStore

MINI = Path(__file__).parent / "fixtures_mini"
HOST = "http://www.mini.gov.cn"
DATAPROXY = HOST + "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=15&perpage=15"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}

CASES = [   # (method, url, body)
    ("GET", HOST + "/", None),
    ("GET", "http://mini.gov.cn/", None),                          # 302 with Location
    ("GET", HOST + "/old/", None),                                 # 301
    ("GET", HOST + "/gone.html", None),                            # site's own 404 page
    ("GET", HOST + "/never-recorded.html", None),                  # unknown URL: 404
    ("GET", HOST + "/gbk/news.htm", None),                         # GBK bytes, charset=gbk header
    ("GET", HOST + "/list.jsp?page=2&path=/", None),               # query string with "/"
    ("POST", DATAPROXY, b"col=1&webid=1&columnid=12&unitid=7"),     # dataproxy keyed by form body
    ("POST", DATAPROXY, b"col=1&webid=1&columnid=99&unitid=7"),     # another body: same URL, other answer
    ("GET", HOST + "/files/notice.pdf", None),
    ("GET", HOST + "/api/list.json", None),
    ("GET", HOST + "/%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80/", None),
    ("GET", "http://dept.mini.gov.cn:8080/", None),
]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(proxy_url: str, method: str, url: str, body: bytes | None) -> tuple:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy_url}), _NoRedirect())
    request = urllib.request.Request(url, data=body, method=method, headers=FORM if body else {})
    try:
        with opener.open(request, timeout=5) as resp:
            status, headers, data = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        status, headers, data = exc.code, exc.headers, exc.read()
    return (status, headers.get("Content-Type"), headers.get("Location"),
            headers.get("Content-Disposition"), headers.get("Content-Encoding"), data)


def test_record_then_replay_is_identical(tmp_path):
    with ReplayServer(MINI) as internet:
        originals = [fetch(internet.url, *case) for case in CASES]
        with RecordingProxy(tmp_path / "rec", upstream_proxy=internet.url) as recorder:
            through_recorder = [fetch(recorder.url, *case) for case in CASES]
    with ReplayServer(tmp_path / "rec") as replay:
        replayed = [fetch(replay.url, *case) for case in CASES]
    for case, original, recorded, again in zip(CASES, originals, through_recorder, replayed):
        assert recorded == original, case
        assert again == original, case
    statuses = [o[0] for o in originals]
    assert statuses == [200, 302, 301, 404, 404, 200, 200, 200, 200, 200, 200, 200, 200]
    assert originals[7][5] != originals[8][5]                     # the two POST answers really differ


def test_recorded_files_follow_the_path_rule(tmp_path):
    with ReplayServer(MINI) as internet, RecordingProxy(tmp_path, upstream_proxy=internet.url) as recorder:
        for case in CASES:
            fetch(recorder.url, *case)
    hosts = tmp_path / "hosts"
    assert (hosts / "www.mini.gov.cn/list.jsp@page=2&path=%2F").read_bytes() == \
        (MINI / "hosts/www.mini.gov.cn/list.jsp@page=2&path=%2F").read_bytes()
    assert (hosts / "www.mini.gov.cn/信息公开/index.html").is_file()
    assert (hosts / "dept.mini.gov.cn_8080/index.html").is_file()
    entries = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["responses"]
    assert HOST + "/" not in entries                              # text/html as guessed: no entry needed
    assert entries[HOST + "/gbk/news.htm"] == {"content_type": "text/html; charset=gbk"}
    assert entries["http://mini.gov.cn/"] == {"status": 302, "headers": {"Location": "http://www.mini.gov.cn/"}}
    assert any(key.startswith(DATAPROXY + "#post:col=1&columnid=12") for key in entries)
    assert not list(tmp_path.glob(".*.tmp"))                      # atomic writes leave no temp files


def test_drop_is_recorded_and_replayed(tmp_path):
    def ask(port: int) -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET http://www.mini.gov.cn/flaky.html HTTP/1.1\r\nHost: www.mini.gov.cn\r\n\r\n")
            return sock.recv(1000)

    with ReplayServer(MINI) as internet, RecordingProxy(tmp_path, upstream_proxy=internet.url) as recorder:
        assert ask(recorder.port) == b""
    with ReplayServer(tmp_path) as replay:
        assert ask(replay.port) == b""
        assert replay.store.lookup(HOST + "/flaky.html").drop


def test_compressed_upstream_is_stored_decoded(tmp_path):
    page = "<html><body>压缩的页面</body></html>".encode()
    FixtureStore(tmp_path / "net").save("http://z.gov.cn/a.html", 200, [
        ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")], gzip.compress(page))
    with ReplayServer(tmp_path / "net") as internet, \
            RecordingProxy(tmp_path / "rec", upstream_proxy=internet.url) as recorder:
        recorded = fetch(recorder.url, "GET", "http://z.gov.cn/a.html", None)
    assert recorded[4] is None and recorded[5] == page
    with ReplayServer(tmp_path / "rec") as replay:
        assert fetch(replay.url, "GET", "http://z.gov.cn/a.html", None) == recorded


@pytest.mark.parametrize("encoded, coding", [
    (gzip.compress(b"hello"), "gzip"), (zlib.compress(b"hello"), "deflate"),
    (zlib.compress(b"hello")[2:-4], "deflate"), (brotli.compress(b"hello"), "br"),
    (gzip.compress(gzip.compress(b"hello")), "gzip, gzip"), (b"hello", "identity"),
])
def test_decode_body(encoded, coding):
    assert decode_body(encoded, coding) == b"hello"


@pytest.mark.parametrize("encoded, coding", [(b"not gzip", "gzip"), (b"hello", "compress")])
def test_decode_body_refuses(encoded, coding):
    assert decode_body(encoded, coding) is None


def test_save_writes_only_needed_manifest_entries(tmp_path):
    store = FixtureStore(tmp_path)
    store.save("http://a.cn/x.html", 200, {"Content-Type": "text/html"}, b"<p>x</p>")
    assert not (tmp_path / "manifest.json").exists()
    store.save("http://a.cn/y.html", 200, {"Content-Type": "text/html; charset=gbk"}, b"y")
    store.save("http://a.cn/x.html", 200, {"Content-Type": "text/html; charset=utf-8"}, b"<p>x2</p>")
    store.save("http://a.cn/x.html", 200, [("Content-Type", "text/html"), ("Content-Length", "9")], b"<p>x3</p>")
    reloaded = FixtureStore(tmp_path)
    entries = json.loads((tmp_path / "manifest.json").read_text())["responses"]
    assert entries == {"http://a.cn/y.html": {"content_type": "text/html; charset=gbk"}}   # stale x entry gone
    assert reloaded.lookup("http://a.cn/x.html").body == b"<p>x3</p>"
    assert reloaded.lookup("http://a.cn/y.html").header("Content-Type") == "text/html; charset=gbk"


def test_save_non_200_and_clashing_paths(tmp_path):
    store = FixtureStore(tmp_path)
    store.save("http://a.cn/col", 200, {}, b"no content type")
    store.save("http://a.cn/col/", 200, {"Content-Type": "text/html"}, b"folder index")   # "col" is a file
    store.save("https://a.cn/", 404, {"Content-Type": "text/html"}, b"not found page")
    store.save("http://a.cn/", 200, {"Content-Type": "text/html"}, b"home")
    store.save("http://a.cn/r", 302, {"Location": "/col/"}, b"")
    store.save("http://a.cn/p.jsp", 200, {"Content-Type": "text/xml"}, b"<a/>", method="POST", request_body=b"x=1")
    store.save_drop("http://a.cn/down.html")
    again = FixtureStore(tmp_path)
    col = again.lookup("http://a.cn/col")
    assert (col.body, col.header("Content-Type")) == (b"no content type", None)
    assert again.lookup("http://a.cn/col/").body == b"folder index"
    assert (again.lookup("https://a.cn/").status, again.lookup("https://a.cn/").body) == (404, b"not found page")
    assert (again.lookup("http://a.cn/").status, again.lookup("http://a.cn/").body) == (200, b"home")
    redirect = again.lookup("http://a.cn/r")
    assert (redirect.status, redirect.header("Location"), redirect.body) == (302, "/col/", b"")
    assert again.lookup("http://a.cn/p.jsp", "POST", b"x=1").body == b"<a/>"
    assert again.lookup("http://a.cn/p.jsp", "POST", b"x=2") is None
    assert again.lookup("http://a.cn/down.html").drop
