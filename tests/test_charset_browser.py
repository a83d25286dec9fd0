"""A GBK page served with a wrong or missing charset comes out of the browser as Chinese, not mojibake."""
import asyncio
import http.server
import os
import threading

import pytest

from govcrawl.browser import find_chromium, fix_document_charset, launch_options

TEXT = "关于做好2019年政府网站检查工作的通知"
BODY = f"<html><head><title>通知</title></head><body><h1 id='t'>{TEXT}</h1></body></html>".encode("gbk")
HEADERS = {"/missing": "text/html", "/wrong": "text/html; charset=iso-8859-1", "/utf8": "text/html; charset=utf-8"}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", HEADERS[self.path])
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def render(url: str, fix: bool) -> str:
    from playwright.async_api import async_playwright

    async def run():
        async with async_playwright() as p:
            exe = find_chromium(os.environ.get("GOVCRAWL_CHROMIUM"), p.chromium.executable_path)
            b = await p.chromium.launch(**launch_options(exe))
            try:
                page = await b.new_page()
                if fix:
                    await page.route("**", fix_document_charset)
                await page.goto(url)
                return await page.inner_text("#t")
            finally:
                await b.close()

    return asyncio.run(run())


@pytest.mark.parametrize("path", list(HEADERS))
def test_gbk_is_read_as_gbk(server, path):
    assert render(server + path, fix=True) == TEXT


def test_without_the_fix_a_wrong_charset_is_mojibake(server):
    """The control: Chromium trusts a wrong header, which is what the route fixes."""
    assert render(server + "/wrong", fix=False) != TEXT
