"""Hostile sites that try to make govcrawl reach inside the inspector's network, and the canary they aim at.

The sites live on 127.0.0.3 (a test allows exactly that address with GOVCRAWL_ALLOWED_NETWORKS, as an operator
allows an intranet); the canary listens on 127.0.0.1, which stays refused. Each site sends the crawler to the
canary by one path: the registry, HTTP 3xx (to an IP, to `localhost`, to the cloud metadata address), meta refresh,
a script redirect, a column that redirects, a pager, a JSON endpoint, article sampling, letter details, the homepage
link check, a frame, and, in the browser, an iframe, fetch, a POST beacon, a form POST, a WebSocket and a computed
script redirect. The canary counts every connection it accepts: the tests require zero.
"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.hostile import dated_list, nav, news_rows, page

SITE_HOST = "127.0.0.3"
CANARY_HOST = "127.0.0.1"
CODES = {key: f"43990{n:05d}" for n, key in enumerate(
    ["registry", "http-ip", "http-name", "http-metadata", "refresh", "script", "inner", "frames", "browser",
     "browser-script"], start=100)}
BROWSER_SITES = {"browser", "browser-script"}


class Canary(ThreadingHTTPServer):
    """Counts every connection and every request line it receives."""

    daemon_threads = True

    def __init__(self):
        self.connections = 0
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N805
                self.requests.append(f"{handler.command} {handler.path}")
                handler.send_response(200)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.end_headers()
                handler.wfile.write(page("内部系统", '<a href="/latest/user-data">user-data</a>').encode())

            do_POST = do_HEAD = do_GET

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__((CANARY_HOST, 0), Handler)

    def verify_request(self, request, client_address) -> bool:
        self.connections += 1
        return True

    @property
    def url(self) -> str:
        return f"http://{CANARY_HOST}:{self.server_address[1]}"


class HostileSites(ThreadingHTTPServer):
    """The sites of CODES on one server, each under its own path prefix /KEY/ (its scope)."""

    daemon_threads = True

    def __init__(self, canary_url: str):
        self.routes: dict[str, tuple[int, dict, str]] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N805
                status, headers, body = self.routes.get(handler.path.split("?")[0], (404, {}, page("404", "404")))
                handler.send_response(status)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                for name, value in headers.items():
                    handler.send_header(name, value)
                data = body.encode()
                handler.send_header("Content-Length", str(len(data)))
                handler.end_headers()
                handler.wfile.write(data)

            do_POST = do_GET

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__((SITE_HOST, 0), Handler)
        self.build(canary_url)

    @property
    def url(self) -> str:
        return f"http://{SITE_HOST}:{self.server_address[1]}"

    def serve(self, path: str, body: str = "", status: int = 200, **headers: str) -> None:
        self.routes[path] = (status, headers, body)

    def redirect(self, path: str, location: str) -> None:
        self.serve(path, "", 302, Location=location)

    def build(self, canary: str) -> None:
        port = canary.rsplit(":", 1)[1]
        self.redirect("/http-ip/", f"{canary}/http-ip")
        self.redirect("/http-name/", f"http://localhost:{port}/http-name")
        self.redirect("/http-metadata/", "http://169.254.169.254/latest/meta-data/")
        self.serve("/refresh/", page("refresh", "", head=f'<meta charset="utf-8"><meta http-equiv="refresh" '
                                                          f'content="0;url={canary}/refresh">'))
        self.serve("/script/", page("script", f'<script>window.location.href = "{canary}/script";</script>'))
        self.build_inner(canary)
        self.serve("/frames/", '<html><head><meta charset="utf-8"><title>frames</title></head><frameset rows="80,*">'
                               '<frame src="/frames/top.html"><frame src="/frames/main.html"></frameset></html>')
        self.serve("/frames/top.html", page("top", "<div>欢迎</div>"))
        self.redirect("/frames/main.html", f"{canary}/frame")
        # the browser: subresources of every kind, and a script redirect only a browser can compute
        self.serve("/browser/", page("browser", nav([("工作动态", "/browser/gzdt/")]) + dated_list(
            news_rows("/browser/gzdt", ["2019-06-05"])) + f'<iframe src="{canary}/iframe"></iframe>'
            f'<img src="{canary}/img.png"><form id="f" method="post" action="{canary}/form" target="sink">'
            '<input name="q" value="1"></form><iframe name="sink"></iframe>'
            f'<script>fetch("{canary}/xhr").catch(function(){{}});'
            f'navigator.sendBeacon("{canary}/beacon", "x=1");'
            f'try {{ new WebSocket("ws://127.0.0.1:{port}/ws"); }} catch (e) {{}}'
            'document.getElementById("f").submit();</script>'))
        self.serve("/browser/gzdt/", page("工作动态", dated_list(news_rows("/browser/gzdt", ["2019-06-05"]))))
        self.serve("/browser-script/", page("跳转", '<script>var host = ["127", "0", "0", "1"].join(".");'
                                                    f'window.location.href = "http://" + host + ":{port}/computed";</script>'))

    def build_inner(self, canary: str) -> None:
        """A site whose homepage is fine; its inner pages lead to the canary."""
        columns = [("工作动态", "/inner/gzdt/"), ("通知公告", "/inner/tzgg/"), ("政策文件", "/inner/zcwj/"),
                   ("数据发布", "/inner/sjfb/"), ("市长信箱", "/inner/szxx/")]
        self.serve("/inner/", page("inner", nav(columns) + dated_list(news_rows("/inner/gzdt", ["2019-06-05"]))
                                   + '<a href="/inner/check.html">其他链接</a>'))
        self.redirect("/inner/gzdt/", f"{canary}/column")                           # a column that redirects
        self.serve("/inner/tzgg/", page("通知公告", dated_list(news_rows("/inner/tzgg", ["2019-06-04"]),
                                                            f'<a href="{canary}/pager/2.html">下一页</a>')))
        titles = ["关于印发2019年政府工作报告重点工作分工方案的通知", "关于进一步优化营商环境的意见",
                  "关于公布第二批非物质文化遗产代表性项目名录的通知"]
        self.serve("/inner/zcwj/", page("政策文件", '<div class="main"><ul class="wjer_list">'   # undated: articles read
                                        + "".join(f'<li><a href="./201906/t2019060{n}_{n}.html">{t}</a></li>'
                                                  for n, t in enumerate(titles)) + "</ul></div>"))
        for n in range(3):
            self.redirect(f"/inner/zcwj/201906/t2019060{n}_{n}.html", f"{canary}/article/{n}.html")
        self.serve("/inner/sjfb/", page("数据发布", '<div class="main"><ul class="list" id="list"></ul></div>'
                                        f'<script>$.getJSON("{canary}/data.json", function (d) {{}});</script>'))
        self.serve("/inner/szxx/", page("市长信箱", '<ul id="wszxList">' + "".join(
            f'<li><span><a href="{canary}/letter/{n}.html">反映道路拥堵问题{n}</a></span><span>反映问题</span>'
            f'<span>交警支队</span><span>办理完毕</span><span>2019-3-{n + 1} 9:06:30</span></li>' for n in range(2))
            + "</ul>"))
        self.redirect("/inner/check.html", f"{canary}/check")                      # the homepage link check


def start(server: ThreadingHTTPServer) -> ThreadingHTTPServer:
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def registry_csv(sites_url: str, canary_url: str) -> str:
    rows = ["site_code,name,unit,url,kind,services,render"]
    for key, code in CODES.items():
        url = f"{canary_url}/registry/" if key == "registry" else f"{sites_url}/{key}/"
        rows.append(f"{code},{key}测试网站,省直,{url},department,no,{'yes' if key in BROWSER_SITES else 'no'}")
    return "\n".join(rows) + "\n"
