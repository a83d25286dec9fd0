"""End to end with the real browser: the demo's script-driven sites are judged on their real entries, only the pages
that need it are rendered, and a crawl that renders nothing never starts Chromium."""
import json
import re

import pytest
import sqlite_utils

from conftest import DEMO, crawl
from govcrawl.replay.proxy import ReplayServer
from govcrawl.scope import normalize_url

JS_SITES = ["4301000041", "4307000042", "4309000043", "4312000044"]


def stats(stderr: str) -> dict:
    return {k: int(v) for k, v in re.findall(r"'((?:govcrawl|playwright|downloader)/[^']+)': (\d+)", stderr)}


@pytest.fixture(scope="module")
def js_crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("js") / "js.db"
    result = crawl(db, "-a", "run=js", "-a", "sites=" + ",".join(JS_SITES))
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(db), stats(result.stderr)


def test_script_columns_carry_their_real_dates(js_crawl):
    db, _ = js_crawl
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["sites"]
    stored = {(r["site_code"], normalize_url(r["url"])): r["newest_date"]
              for r in db.query("select * from columns where run_id = 'js' and role = 'column'")}
    for code in JS_SITES:
        for url, column in truth[code]["columns"].items():
            assert stored.get((code, normalize_url(url))) == column["newest_date"], (code, column["name"])


def test_findings_equal_truth(js_crawl):
    db, _ = js_crawl
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["sites"]
    for code in JS_SITES:
        got = sorted(r["indicator"] for r in db.query(
            "select indicator from findings where run_id = 'js' and site_code = ? and veto = 1", [code]))
        assert got == sorted(truth[code]["findings"]), code
        site = db["sites"].get(("js", code))
        assert normalize_url(site["final_url"]) == normalize_url(truth[code]["final_url"])


def test_gbk_titles_survive_rendering(js_crawl):
    db, _ = js_crawl
    titles = [r["title"] for r in db.query("select title from entries where run_id = 'js' and site_code = '4312000044'")]
    assert titles and all(re.search(r"[\u4e00-\u9fff]", t) and not re.search(r"[À-ÿ]{2}", t) for t in titles)


def test_only_what_needs_it_is_rendered(js_crawl):
    _, s = js_crawl
    # 2 jpage columns, 1 computed-URL ajax column, 1 script-built GBK list, 1 computed homepage redirect
    assert s["govcrawl/rendered_requests"] == 5
    assert s["govcrawl/render/ajax-jpage"] == 2 and s["govcrawl/render/js-redirect"] == 1
    assert s["govcrawl/json_endpoint"] == 1      # the literal TrueCMS URL is fetched without the browser
    assert s["govcrawl/rendered_requests"] * 5 < s["downloader/request_count"]  # even on these 4 sites: few pages


def test_no_browser_when_nothing_needs_rendering(tmp_path):
    result = crawl(tmp_path / "plain.db", "-a", "run=plain", "-a", "sites=4304000012", "-s", "GOVCRAWL_SCREENSHOTS=0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Launching browser" not in result.stderr and "playwright/browser_count" not in result.stderr
    assert "govcrawl/rendered_requests" not in result.stderr


def registry_marking_render(tmp_path, code: str):
    """The demo registry with `code` alone, marked render=yes."""
    import csv

    rows = [r for r in csv.DictReader((DEMO / "registry.csv").open(encoding="utf-8")) if r["site_code"] == code]
    registry = tmp_path / "registry.csv"
    with registry.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[*rows[0], "render"])
        writer.writeheader()
        writer.writerows({**r, "render": "yes"} for r in rows)
    return registry


@pytest.mark.parametrize("render_fails", [False, True])
def test_columns_known_to_need_the_browser_are_fetched_once(tmp_path, render_fails):
    """render=yes: each column goes straight to the browser (one request, not a fetch and then a render); when the
    browser fails, the column is fetched then, and read as fetched."""
    code = "4304000012"
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["sites"][code]
    settings = ["-s", "GOVCRAWL_RENDER_TIMEOUT=0.001"] if render_fails else []
    result = crawl(tmp_path / "r.db", "-a", "run=r", "-a", f"registry={registry_marking_render(tmp_path, code)}",
                   "-s", "GOVCRAWL_SCREENSHOTS=0", *settings)
    assert result.returncode == 0, result.stderr[-3000:]
    s = stats(result.stderr)
    db = sqlite_utils.Database(tmp_path / "r.db")
    columns = {normalize_url(r["url"]): r["newest_date"]
               for r in db.query("select * from columns where run_id = 'r' and role = 'column'")}
    assert columns == {normalize_url(u): c["newest_date"] for u, c in truth["columns"].items()}
    assert s["govcrawl/render/first-registry"] == len(columns) and "govcrawl/render/registry" in s  # homepage: fetched
    assert s["govcrawl/requests/render"] == len(columns) + 1
    assert s.get("govcrawl/requests/column", 0) == (len(columns) if render_fails else 0)
    assert s.get("govcrawl/render_failed", 0) == (len(columns) + 1 if render_fails else 0)
    assert [r["indicator"] for r in db.query("select indicator from findings where veto = 1")] == truth["findings"]


SCRIPT_HOST = "scriptlists.example.gov.cn"
CDN_HOST = "cdn.example.net"
SCRIPT_COLUMNS = {"/gzdt/": ("工作动态", "2019-06-05"), "/tzgg/": ("通知公告", "2019-05-28"),
                  "/zcwj/": ("政策文件", "2019-04-30")}


def script_list(name: str) -> str:
    """An empty list a script fills from data at a URL it computes (so only a browser can read it)."""
    return (f'<script src="http://{CDN_HOST}/lib/helper.js"></script><script src="/js/common.js?v=3"></script>'
            '<link rel="stylesheet" href="/css/style.css">'
            f'<div class="main"><h2>{name}</h2><ul class="list" id="list"></ul></div><script>'
            "var x = new XMLHttpRequest(); x.open('GET', '/data/' + location.pathname.split('/')[1] + '.json');"
            "x.onload = function () { var rows = JSON.parse(x.responseText), ul = document.getElementById('list');"
            "rows.forEach(function (r) { var li = document.createElement('li'); li.innerHTML = '<a href=\"' + r.url +"
            " '\">' + r.title + '</a><span>' + r.date + '</span>'; ul.appendChild(li); }); }; x.send();</script>")


class LoggingServer(ReplayServer):
    """The replay proxy, noting every URL it is asked for."""

    def __init__(self, fixtures):
        super().__init__(fixtures)
        self.urls: list[str] = []

    async def respond(self, request, writer):
        self.urls.append(request.url)
        return await super().respond(request, writer)


def build_script_site(root):
    """A site whose CMS fills every list by script, the homepage's blocks too."""
    from tests.hostile import Writer, nav, page

    w = Writer(root)
    items = [(name, path) for path, (name, _) in SCRIPT_COLUMNS.items()]
    w.file(SCRIPT_HOST, "/", page("脚本列表测试网站", nav(items) + script_list("要闻")))
    rows = {"": [("市政府召开常务会议", "/gzdt/201906/t20190605_1.html", "2019-06-05")]}
    for path, (name, newest) in SCRIPT_COLUMNS.items():
        w.file(SCRIPT_HOST, path, page(name, nav(items) + script_list(name)))
        rows[path.strip("/")] = [(f"{name}第{i}条信息的标题", f"{path}2019/t{i}.html", day)
                                 for i, day in enumerate([newest, "2019-03-01", "2019-01-15"], 1)]
    w.file(CDN_HOST, "/lib/helper.js", "window.helper = 1;")
    w.file(SCRIPT_HOST, "/js/common.js", "window.common = 1;")
    w.file(SCRIPT_HOST, "/css/style.css", "body { margin: 0; }")
    for key, entries in rows.items():
        data = [{"title": t, "url": u, "date": d} for t, u, d in entries]
        w.file(SCRIPT_HOST, f"/data/{key}.json", json.dumps(data, ensure_ascii=False))
    (root / "registry.csv").write_text("site_code,name,unit,url,kind,services\n"
                                       f"4399000101,脚本列表测试网站,省直,http://{SCRIPT_HOST}/,department,no\n",
                                       encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({"responses": w.manifest}), encoding="utf-8")
    return root


def test_a_site_that_fills_its_lists_by_script_has_its_columns_rendered_at_once(tmp_path):
    """Its homepage had to be rendered for its lists: its columns go straight to the browser, each requested once."""
    root = build_script_site(tmp_path / "site")
    server = LoggingServer(root).start()
    try:
        result = crawl(tmp_path / "s.db", "-a", "run=s", "-a", f"proxy={server.url}", "-s", "GOVCRAWL_SCREENSHOTS=0",
                       fixtures=root)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    # scripts and styles are fetched once per run, the third party's and the site's own
    for path in (f"http://{CDN_HOST}/lib/helper.js", f"http://{SCRIPT_HOST}/js/common.js?v=3",
                 f"http://{SCRIPT_HOST}/css/style.css"):
        assert server.urls.count(path) == 1, path
    s = stats(result.stderr)
    db = sqlite_utils.Database(tmp_path / "s.db")
    columns = {r["url"]: r["newest_date"] for r in db.query("select * from columns where role = 'column'")}
    assert columns == {f"http://{SCRIPT_HOST}{path}": newest for path, (_, newest) in SCRIPT_COLUMNS.items()}
    assert s["govcrawl/render/homepage-ajax-xhr"] == 1
    assert s["govcrawl/render/first-homepage-ajax-xhr"] == len(SCRIPT_COLUMNS)
    assert s.get("govcrawl/requests/column", 0) == 0 and s["govcrawl/requests/render"] == len(SCRIPT_COLUMNS) + 1
