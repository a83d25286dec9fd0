"""Link checks (review code broken_links) against a server that refuses HEAD, on 127.0.0.1: every link is asked by
HEAD, then by GET that stops at the first bytes; a link is broken only when GET fails too."""
from __future__ import annotations

import asyncio
import csv

import sqlite_utils

from govcrawl.replay.http11 import send_simple
from govcrawl.replay.proxy import ReplayServer
from tests.conftest import DEMO, crawl

SITE = "4300000090"                      # 湖南省统计局: one homepage link answers 404 (truth: broken_links)
BROKEN = "http://tjj.hunan.gov.cn/wzdt/index.html"
BIG = 64 * 1024 * 1024                   # what a GET would cost if it read the whole body


class HeadRefusingServer(ReplayServer):
    """The demo's fixtures behind a server that answers HEAD with 405, and a GET of a link it refused HEAD for with
    a body far larger than any page (the fixture's status kept), counting the bytes it managed to send."""

    def __init__(self, fixtures):
        super().__init__(fixtures)
        self.methods: list[tuple[str, str]] = []
        self.sent: dict[str, int] = {}

    async def respond(self, request, writer):
        self.methods.append((request.method, request.url))
        if request.method == "HEAD":
            await send_simple(writer, 405, "HEAD not allowed", request.keep_alive, extra=[("Allow", "GET")])
            return True
        stored = self.store.lookup(request.url)
        if ("HEAD", request.url) not in self.methods or stored is None or stored.status != 200:
            return await super().respond(request, writer)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % BIG)
        chunk, sent = b"<p>" + b"x" * 65533, 0
        try:
            while sent < BIG:
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), 10)
                sent += len(chunk)
        except (ConnectionError, OSError, asyncio.TimeoutError):
            pass
        self.sent[request.url] = sent
        return False


def test_links_refused_head_are_checked_by_get_up_to_the_first_bytes(tmp_path):
    rows = [r for r in csv.DictReader((DEMO / "registry.csv").open(encoding="utf-8")) if r["site_code"] == SITE]
    registry = tmp_path / "registry.csv"
    with registry.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    server = HeadRefusingServer(DEMO).start()
    try:
        result = crawl(tmp_path / "l.db", "-a", "run=l", "-a", f"registry={registry}", "-a", f"proxy={server.url}",
                       "-s", "GOVCRAWL_SCREENSHOTS=0", "-s", "GOVCRAWL_RENDER=0",
                       "-s", "GOVCRAWL_MAX_PAGE_BYTES=0", timeout=300)   # no page cap: only the check stops it
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    headed = [url for method, url in server.methods if method == "HEAD"]
    assert len(headed) >= 5 and BROKEN in headed
    assert all(("GET", url) in server.methods for url in headed)      # each refused HEAD is asked again by GET
    # stopped at the first bytes: what was sent is what the sockets' buffers took before the client hung up
    assert server.sent and all(sent < BIG // 4 for sent in server.sent.values()), server.sent
    db = sqlite_utils.Database(tmp_path / "l.db")
    broken = {r["url"]: r["status"] for r in db.query("select url, status from links where kind = 'broken'")}
    assert broken == {BROKEN: 404}                                   # only the link GET also found missing
    assert [r["indicator"] for r in db.query("select indicator from findings where indicator = 'broken_links'")] \
        == ["broken_links"]
