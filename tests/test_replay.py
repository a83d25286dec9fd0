"""Fixture store path rules and the replay forward proxy (tests/fixtures_mini is the fixture)."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from govcrawl.replay.proxy import ReplayServer
from govcrawl.replay.store import (FixtureError, FixtureStore, canonical_url, guess_type, post_key,
                                   relative_file, resolve_fixture_root)

MINI = Path(__file__).parent / "fixtures_mini"
HOST = "http://www.mini.gov.cn"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(server: ReplayServer, url: str, data: bytes | None = None, method: str | None = None):
    """(status, headers, body) through the proxy, without following redirects."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.url}), _NoRedirect())
    try:
        with opener.open(urllib.request.Request(url, data=data, method=method), timeout=5) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def raw(server: ReplayServer, data: bytes, timeout: float = 3.0) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture(scope="module")
def server():
    with ReplayServer(MINI) as srv:
        yield srv


@pytest.mark.parametrize("url, expected", [
    ("http://www.a.gov.cn", "www.a.gov.cn/index.html"),
    ("https://WWW.A.gov.cn/", "www.a.gov.cn/index.html"),
    ("http://a.gov.cn/col/col12/", "a.gov.cn/col/col12/index.html"),
    ("http://a.gov.cn/art/2024/1/2/art_1_2.html", "a.gov.cn/art/2024/1/2/art_1_2.html"),
    ("http://a.gov.cn:8080/x.html", "a.gov.cn_8080/x.html"),
    ("http://a.gov.cn:80/x.html", "a.gov.cn/x.html"),
    ("https://a.gov.cn:443/x.html", "a.gov.cn/x.html"),
    ("http://a.gov.cn/list.jsp?page=2&path=/", "a.gov.cn/list.jsp@page=2&path=%2F"),
    ("http://a.gov.cn/list/?page=2", "a.gov.cn/list/index.html@page=2"),
    ("http://a.gov.cn/%E4%BF%A1%E6%81%AF/a.html", "a.gov.cn/信息/a.html"),
    ("http://a.gov.cn/a/../b/./c.html#frag", "a.gov.cn/b/c.html"),
    ("http://a.gov.cn/../../etc/passwd", "a.gov.cn/etc/passwd"),
    ("http://a.gov.cn/a%2Fb.html", "a.gov.cn/a%2Fb.html"),
    ("http://a.gov.cn/%d0%c5.html", "a.gov.cn/%D0%C5.html"),
])
def test_path_rule(url, expected):
    assert relative_file(url) == expected


def test_long_names_are_shortened_but_distinct():
    a, b = (relative_file(f"http://a.gov.cn/q.jsp?x={'y' * 300}{n}") for n in (1, 2))
    assert a != b and all(len(part.encode()) <= 200 for part in a.split("/"))


@pytest.mark.parametrize("left, right", [
    ("http://A.gov.cn:80/信息/?q=政府", "http://a.gov.cn/%E4%BF%A1%E6%81%AF/?q=%E6%94%BF%E5%BA%9C"),
    ("http://a.gov.cn/x%2fy", "http://a.gov.cn/x%2Fy"),
])
def test_canonical_url_equal(left, right):
    assert canonical_url(left) == canonical_url(right)


def test_canonical_url_keeps_scheme_and_port():
    assert len({canonical_url(u) for u in ("http://a.cn/", "https://a.cn/", "http://a.cn:81/")}) == 3


@pytest.mark.parametrize("url, ctype", [
    ("http://a.cn/", "text/html"), ("http://a.cn/x.shtml", "text/html"), ("http://a.cn/x.do?a=1", "text/html"),
    ("http://a.cn/col/col12", "text/html"), ("http://a.cn/x.json", "application/json"),
    ("http://a.cn/x.xml", "text/xml"), ("http://a.cn/x.js", "application/javascript"),
    ("http://a.cn/x.PDF", "application/pdf"), ("http://a.cn/x.bin", "application/octet-stream"),
])
def test_guess_type(url, ctype):
    assert guess_type(url) == ctype


def test_post_key_ignores_field_order():
    assert post_key("http://a.cn/d.jsp?s=1", b"b=2&a=1") == post_key("http://a.cn/d.jsp?s=1", b"a=1&b=2")
    assert "#post-sha1:" in post_key("http://a.cn/d.jsp", bytes(range(256)))


def test_hand_written_post_key_matches_any_field_order(tmp_path):
    (tmp_path / "hosts/a.cn").mkdir(parents=True)
    (tmp_path / "hosts/a.cn/d.xml").write_text("<datastore/>")
    key = "http://a.cn/d.jsp?s=1#post:webname=定西&col=1"
    (tmp_path / "manifest.json").write_text(json.dumps({"responses": {key: {"file": "a.cn/d.xml"}}}))
    store = FixtureStore(tmp_path)
    assert store.lookup("http://a.cn/d.jsp?s=1", "POST", "col=1&webname=定西".encode()).body == b"<datastore/>"
    assert store.lookup("http://a.cn/d.jsp?s=1", "POST", b"col=2") is None


def test_lookup_from_manifest_and_path_rule():
    store = FixtureStore(MINI)
    home = store.lookup("http://www.mini.gov.cn/")
    assert (home.status, home.header("Content-Type")) == (200, "text/html")
    assert home.body.startswith(b"<!DOCTYPE html>")
    assert store.lookup("https://www.mini.gov.cn/").body == home.body       # schemes share the folder
    moved = store.lookup("http://www.mini.gov.cn/old/")
    assert (moved.status, moved.header("Location"), moved.body) == (301, "http://www.mini.gov.cn/", b"")
    assert moved.header("Content-Type") is None
    assert store.lookup("https://mini.gov.cn/") is None                     # manifest keys are per scheme
    assert store.lookup("http://www.mini.gov.cn/gbk/news.htm").header("Content-Type") == "text/html; charset=gbk"
    assert store.lookup("http://www.mini.gov.cn/slow.html").delay == 0.3
    assert store.lookup("http://www.mini.gov.cn/flaky.html").drop
    assert store.lookup("http://www.mini.gov.cn/nothing.html") is None
    assert store.lookup("ftp://www.mini.gov.cn/") is None


@pytest.mark.parametrize("manifest, message", [
    ('{"responses": {', "not valid JSON"),
    ('["x"]', "expected"),
    ('{"responses": {"http://a.cn/": {"status": "301"}}}', "status must be"),
    ('{"responses": {"http://a.cn/": {"stauts": 301}}}', "unknown field"),
    ('{"responses": {"http://a.cn/": {"file": "a.cn/missing.html"}}}', "does not exist"),
    ('{"responses": {"http://a.cn/": {"file": "../manifest.json"}}}', "inside hosts/"),
    ('{"responses": {"http://a.cn/": {"delay": -1}}}', "delay"),
    ('{"responses": {"mailto:x@a.cn": {}}}', "not an http(s) URL"),
    ('{"responses": {"http://a.cn/": {}, "HTTP://A.cn:80/": {}}}', "repeats"),
])
def test_bad_manifest_is_named(tmp_path, manifest, message):
    (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    with pytest.raises(FixtureError) as err:
        FixtureStore(tmp_path)
    assert str(tmp_path / "manifest.json") in str(err.value) and message in str(err.value)


def test_resolve_fixture_root(tmp_path):
    assert resolve_fixture_root(MINI) == MINI
    (tmp_path / "demo" / "hosts").mkdir(parents=True)
    (tmp_path / "notes").mkdir()
    assert resolve_fixture_root(tmp_path) == tmp_path / "demo"
    (tmp_path / "other" / "hosts").mkdir(parents=True)
    with pytest.raises(FixtureError, match="several fixtures"):
        resolve_fixture_root(tmp_path)
    with pytest.raises(FixtureError, match="not a fixture folder"):
        resolve_fixture_root(tmp_path / "notes")


def test_get_through_proxy(server):
    status, headers, body = fetch(server, HOST + "/files/notice.pdf")
    assert (status, headers["Content-Type"]) == (200, "application/pdf")
    assert headers["Content-Disposition"] == "attachment; filename=notice.pdf"
    assert body == (MINI / "hosts/www.mini.gov.cn/files/notice.pdf").read_bytes()
    status, headers, body = fetch(server, "http://dept.mini.gov.cn:8080/")
    assert status == 200 and "端口8080" in body.decode()


def test_redirect_and_404(server):
    status, headers, _ = fetch(server, "http://mini.gov.cn/")
    assert (status, headers["Location"]) == (302, "http://www.mini.gov.cn/")
    status, headers, body = fetch(server, HOST + "/gone.html")
    assert status == 404 and "页面不存在" in body.decode()
    status, headers, body = fetch(server, HOST + "/never-recorded.html")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"never-recorded" in body


def test_post_by_body_then_by_url(server):
    url = HOST + "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=15&perpage=15"
    status, headers, body = fetch(server, url, b"webid=1&columnid=12&unitid=7&col=1")
    assert status == 200 and "常务会议" in body.decode() and headers["Content-Type"] == "text/xml; charset=utf-8"
    status, _, body = fetch(server, url, b"webid=1&columnid=99&unitid=7&col=1")
    assert status == 200 and b"<totalrecord>0</totalrecord>" in body


def test_head_has_length_but_no_body(server):
    reply = raw(server, b"HEAD http://www.mini.gov.cn/api/list.json HTTP/1.1\r\nHost: www.mini.gov.cn\r\n"
                        b"Connection: close\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    size = (MINI / "hosts/www.mini.gov.cn/api/list.json").stat().st_size
    assert head.startswith(b"HTTP/1.1 200 ") and f"Content-Length: {size}".encode() in head and body == b""


def test_keep_alive_and_origin_form(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    bodies, sockets = [], []
    for target, headers in ((HOST + "/", {}), ("/slow.html", {"Host": "www.mini.gov.cn"}),
                            ("/", {"Host": "dept.mini.gov.cn:8080"})):
        conn.request("GET", target, headers=headers)
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Connection") == "keep-alive"
        bodies.append(response.read())
        sockets.append(conn.sock)
    assert all(s is sockets[0] for s in sockets)            # one TCP connection served all three
    assert "慢速" in bodies[1].decode() and "端口8080" in bodies[2].decode()
    conn.close()


def test_drop_closes_without_reply(server):
    assert raw(server, b"GET http://www.mini.gov.cn/flaky.html HTTP/1.1\r\nHost: www.mini.gov.cn\r\n\r\n") == b""


@pytest.mark.parametrize("request_bytes, status", [
    (b"GARBAGE\r\n\r\n", b"400"),
    (b"GET /x HTTP/1.1\r\n\r\n", b"400"),                                        # origin-form, no Host
    (b"GET http://www.mini.gov.cn/ HTTP/1.1\r\nno colon here\r\n\r\n", b"400"),
    (b"POST http://www.mini.gov.cn/ HTTP/1.1\r\nContent-Length: ten\r\n\r\n", b"400"),
    (b"GET http://www.mini.gov.cn/ HTTP/2.0\r\n\r\n", b"505"),
    (b"GET gopher://x/ HTTP/1.1\r\n\r\n", b"400"),
    (b"GET http://bad host/ HTTP/1.1\r\n\r\n", b"400"),
    (b"DELETE http://www.mini.gov.cn/ HTTP/1.1\r\nConnection: close\r\n\r\n", b"405"),
    (b"CONNECT www.mini.gov.cn HTTP/1.1\r\nHost: www.mini.gov.cn\r\n\r\n", b"400"),
    (b"GET http://www.mini.gov.cn/" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"431"),
])
def test_bad_requests_get_error_status_and_server_survives(server, request_bytes, status):
    assert raw(server, request_bytes).startswith(b"HTTP/1.1 " + status + b" ")
    assert fetch(server, HOST + "/")[0] == 200


def test_chunked_post_body(server):
    body = b"webid=1&columnid=12&unitid=7&col=1"
    reply = raw(server, b"POST http://www.mini.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=15"
                        b"&perpage=15 HTTP/1.1\r\nHost: www.mini.gov.cn\r\nTransfer-Encoding: chunked\r\n"
                        b"Connection: close\r\n\r\n" + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 ") and "常务会议".encode() in reply


def test_stats_count_max_in_flight_per_host(server):
    server.reset_stats()
    threads = [threading.Thread(target=fetch, args=(server, HOST + "/slow.html")) for _ in range(4)]
    threads.append(threading.Thread(target=fetch, args=(server, "http://dept.mini.gov.cn:8080/")))
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.monotonic() - started < 1.0                 # delays overlap: the loop is not blocked
    deadline = time.monotonic() + 2
    while server.stats()["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.01)                # the server thread may still be finishing its last write
    stats = server.stats()
    assert stats["max_in_flight_per_host"] == {"www.mini.gov.cn": 4, "dept.mini.gov.cn": 1}
    assert stats["per_host"] == {"www.mini.gov.cn": 4, "dept.mini.gov.cn": 1}
    assert stats["requests"] == 5 and stats["in_flight"] == 0 and stats["statuses"] == {"200": 5}
    status, _, body = fetch(server, "http://govcrawl.replay/_stats?reset=1")
    assert status == 200 and json.loads(body) == stats
    assert server.stats()["requests"] == 0


def test_many_concurrent_connections_and_large_body(tmp_path):
    big = os.urandom(3 * 1024 * 1024)
    (tmp_path / "hosts" / "big.cn").mkdir(parents=True)
    (tmp_path / "hosts" / "big.cn" / "file.zip").write_bytes(big)
    with ReplayServer(tmp_path) as srv:
        socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=5) for _ in range(200)]
        for sock in socks:
            sock.sendall(b"GET http://big.cn/none HTTP/1.1\r\nHost: big.cn\r\nConnection: close\r\n\r\n")
        replies = []
        for sock in socks:
            replies.append(sock.makefile("rb").read())
            sock.close()
        assert all(r.startswith(b"HTTP/1.1 404 ") for r in replies)
        assert srv.stats()["max_in_flight"] >= 1
        assert fetch(srv, "http://big.cn/file.zip", data=big[:1024 * 1024])[2] == big   # large POST too


def test_serve_foreground_stops_on_ctrl_c(tmp_path):
    shutil.copytree(MINI, tmp_path / "demo")
    code = "import sys; from govcrawl.replay.proxy import serve; sys.exit(serve(sys.argv[1], 0))"
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).parent.parent)
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"replaying {tmp_path / 'demo'} on http://127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        with urllib.request.build_opener(urllib.request.ProxyHandler(
                {"http": f"http://127.0.0.1:{port}"})).open(HOST + "/", timeout=5) as resp:
            assert resp.status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
    finally:
        proc.kill()
        proc.stdout.close()
