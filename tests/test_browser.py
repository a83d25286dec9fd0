"""Chromium discovery, launch options, what the browser may load, and a real launch (never skipped)."""
import asyncio
import os
from types import SimpleNamespace

import pytest

from govcrawl import browser
from govcrawl.browser import ChromiumNotFound, find_chromium, launch_options, should_abort_request


def _exe(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


def test_setting_comes_first(tmp_path):
    configured, own = _exe(tmp_path / "mine"), _exe(tmp_path / "own")
    assert find_chromium(configured, own) == configured


def test_playwright_own_before_system(tmp_path):
    assert find_chromium(None, _exe(tmp_path / "own")) == str(tmp_path / "own")


def test_missing_setting_falls_through(tmp_path):
    assert find_chromium(str(tmp_path / "nope"), _exe(tmp_path / "own")) == str(tmp_path / "own")


def test_error_names_every_place(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "SYSTEM_CHROMIUM", str(tmp_path / "usr-bin-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ChromiumNotFound) as err:
        find_chromium(str(tmp_path / "configured"), str(tmp_path / "pw"))
    message = str(err.value)
    for place in ("GOVCRAWL_CHROMIUM", "configured", "playwright", "pw", "usr-bin-chromium", "chromium-browser"):
        assert place in message


@pytest.mark.parametrize("root,sandbox_flag", [(True, True), (False, False)])
def test_launch_options(root, sandbox_flag):
    opts = launch_options("/x/chromium", {"args": ["--lang=zh-CN"]}, root=root)
    assert opts["executable_path"] == "/x/chromium" and opts["chromium_sandbox"] is (not root)
    assert ("--no-sandbox" in opts["args"]) is sandbox_flag
    for flag in ("--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=zh-CN"):
        assert flag in opts["args"]


@pytest.mark.parametrize("kind,url,abort", [
    ("image", "http://a.gov.cn/images/top.jpg", True),
    ("font", "http://a.gov.cn/f.woff2", True),
    ("media", "http://a.gov.cn/v.mp4", True),
    ("script", "https://hm.baidu.com/hm.js?abc", True),
    ("script", "http://s4.cnzz.com/z_stat.php?id=1", True),
    ("script", "http://a.gov.cn/module/visit/visit.jsp?id=1", True),
    ("script", "http://a.gov.cn/module/jslib/jquery/jpage/jquery.page.min.js", False),
    ("xhr", "http://a.gov.cn/module/web/jpage/dataproxy.jsp?page=1", False),
    ("document", "http://a.gov.cn/", False),
])
def test_abort_predicate(kind, url, abort):
    assert should_abort_request(SimpleNamespace(resource_type=kind, url=url)) is abort


@pytest.mark.parametrize("body,ctype,fixed", [
    ("<p>通知公告</p>".encode("gbk"), "text/html", "text/html; charset=gb18030"),
    ("<p>通知公告</p>".encode("gbk"), "text/html; charset=utf-8", "text/html; charset=gb18030"),
    ("<p>通知公告</p>".encode("gbk"), "text/html; charset=GBK", None),
    ("<p>通知公告</p>".encode("utf-8"), "text/html; charset=utf-8", None),
    ("<p>通知公告</p>".encode("utf-8"), "text/html", "text/html; charset=utf-8"),
    (b"<p>plain</p>", "text/html", None),
    ("{}".encode(), "application/json", None),
])
def test_charset_fix(body, ctype, fixed):
    assert browser.charset_fix(body, ctype) == fixed


def test_real_chromium_renders():
    """The Chromium discovery finds (Debian's in CI) really launches with our options and runs scripts."""
    from playwright.async_api import async_playwright

    async def run():
        async with async_playwright() as p:
            exe = find_chromium(os.environ.get("GOVCRAWL_CHROMIUM"), p.chromium.executable_path)
            b = await p.chromium.launch(**launch_options(exe))
            try:
                page = await b.new_page()
                await page.set_content("<ul id='l'></ul><script>document.getElementById('l').innerHTML='<li>有</li>'</script>")
                return await page.inner_text("#l")
            finally:
                await b.close()

    assert asyncio.run(run()) == "有"
