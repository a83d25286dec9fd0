"""Subresources while rendering: a script two pages share (a third party's or the site's own) is fetched once per run
and still runs on both;
decorative footer scripts and third-party frames are not requested; every page's counts are kept."""
import asyncio
import urllib.request

from govcrawl.browser import context_kwargs, find_chromium, launch_options
from govcrawl.replay.http11 import send_body_response
from govcrawl.replay.proxy import ProxyServer
from govcrawl.subresources import Fetched, PageCounts, SubresourceCache, decorative, third_party

PAGE = """<html><head><meta charset="utf-8"><title>{n}</title>
<script src="/module/own.js"></script>
<script src="http://cdn.libs.example.com/list.js"></script></head>
<body><ul id="list"></ul><iframe src="http://map.example.com/widget.html"></iframe>
<script src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>
<script src="http://dcs.conac.cn/js/18/000/0000/6042/CA18.js"></script></body></html>"""
FILES = {
    "http://www.bd.gov.cn/a.html": ("text/html; charset=utf-8", PAGE.format(n="a")),
    "http://www.bd.gov.cn/b.html": ("text/html; charset=utf-8", PAGE.format(n="b")),
    "http://www.bd.gov.cn/module/own.js": ("application/javascript", "window.own = 1;"),
    "http://cdn.libs.example.com/list.js": (
        "application/javascript",
        "document.addEventListener('DOMContentLoaded', function () { var ul = document.getElementById('list');"
        " ['通知一', '通知二'].forEach(function (t) { var li = document.createElement('li'); li.textContent = t;"
        " ul.appendChild(li); }); });"),
}


class SiteServer(ProxyServer):
    async def respond(self, request, writer):
        content_type, body = FILES.get(request.url, ("text/plain", None))
        await send_body_response(writer, 200 if body is not None else 404, [("Content-Type", content_type)],
                                 (body or "not here").encode(), keep_alive=request.keep_alive)
        return True


def test_third_party_and_decorative():
    assert third_party("http://cdn.libs.example.com/x.js", "http://www.bd.gov.cn/")
    assert not third_party("http://static.bd.gov.cn/x.js", "http://www.bd.gov.cn/")
    assert decorative("https://zfwzgl.www.gov.cn/exposure/jiucuo.js")
    assert decorative("http://pucha.kaipuyun.cn/exposure/jiucuo.js")
    assert not decorative("http://cdn.libs.example.com/jquery.js")


def test_a_shared_script_is_fetched_once_and_runs_on_every_page():
    server = SiteServer().start()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.url, "https": server.url}))

    async def fetch(url, referer):
        def get():
            with opener.open(urllib.request.Request(url, headers={"Referer": referer}), timeout=10) as r:
                return Fetched(r.status, r.headers.get("Content-Type", ""), r.read())
        return await asyncio.to_thread(get)

    async def render() -> list[tuple[list[str], PageCounts]]:
        from playwright.async_api import async_playwright

        cache = SubresourceCache(fetch)
        out = []
        async with async_playwright() as p:
            browser = await p.chromium.launch(**launch_options(find_chromium(), proxy=server.url))
            context = await browser.new_context(**context_kwargs(server.url, "govcrawl-test"))
            for url in ("http://www.bd.gov.cn/a.html", "http://www.bd.gov.cn/b.html"):
                counts = PageCounts()
                page = await context.new_page()
                await page.route("**", cache.handler(url, counts))
                await page.goto(url, wait_until="load")
                out.append((await page.locator("#list li").all_text_contents(), counts))
                await page.close()
            await browser.close()
        return out

    try:
        pages = asyncio.run(render())
        per_host = server.stats()["per_host"]
    finally:
        server.stop()
    assert [items for items, _ in pages] == [["通知一", "通知二"]] * 2
    assert per_host.get("cdn.libs.example.com") == 1
    assert not {"zfwzgl.www.gov.cn", "dcs.conac.cn", "map.example.com"} & set(per_host)
    (_, first), (_, second) = pages
    assert (first.requests, first.cached, first.blocked) == (2, 0, 3)   # own.js + list.js; jiucuo, conac, frame
    assert (second.requests, second.cached, second.blocked) == (0, 2, 3)   # both scripts from the run's cache
    assert per_host.get("www.bd.gov.cn") == 3                              # a.html, b.html, own.js once
