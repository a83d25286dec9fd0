"""A small province of broken government sites, written as a replay fixture for the hostile-web tests.

Pages follow the TRS-style markup of the demo province (nav with sub-menus, dated lists, standard footer); each site
carries one pathology. `build(root)` writes registry.csv, manifest.json and hosts/.
"""
from __future__ import annotations

import json
from pathlib import Path

CODE = {"enc": "4399000001", "big": "4399000002", "frames": "4399000003", "attach": "4399000004",
        "trap": "4399000005", "loop": "4399000006", "chain": "4399000007", "timeout": "4399000008",
        "reset": "4399000009", "e500": "4399000010", "errpage": "4399000011", "waf": "4399000012",
        "forbidden": "4399000013", "mixed": "4399000014", "tls-ok": "4399000015", "tls-expired": "4399000016",
        "tls-self": "4399000017", "tls-host": "4399000018"}
TLS = {"tls-ok": None, "tls-expired": "expired", "tls-self": "self-signed", "tls-host": "wrong-host"}
HOST = {key: f"{key}.hostile.gov.cn" for key in CODE}
TITLES = ["市政府召开常务会议研究部署安全生产工作", "关于做好2019年端午节期间有关工作的通知", "喆园社区开展志愿服务活动"]


def page(title: str, body: str, head: str = '<meta charset="utf-8">') -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>"
            f"<div class=\"header\"><div class=\"logo\">{title}</div></div>{body}"
            f"<div class=\"footer\"><p>主办单位：{title}<span>|</span>联系电话：0731-88888888</p>"
            f"<p>ICP备案编号：湘ICP备05005532号<span>|</span>网站标识码：4399000000</p></div></body></html>")


def nav(items: list[tuple[str, str]]) -> str:
    links = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in items)
    return f'<div class="nav"><ul class="nav-list"><li><a href="/">首页</a></li>{links}</ul></div>'


def dated_list(rows: list[tuple[str, str, str]], pager: str = "") -> str:
    lis = "".join(f'<li><a href="{href}" title="{title}">{title}</a><span class="date">{day}</span></li>'
                  for href, title, day in rows)
    return f'<div class="main"><div class="list-title"><h2>列表</h2></div><ul class="list">{lis}</ul>{pager}</div>'


def news_rows(prefix: str, days: list[str]) -> list[tuple[str, str, str]]:
    return [(f"{prefix}/201906/t2019060{i}_{i}.html", TITLES[i % 3] + f"（{i}）", d) for i, d in enumerate(days, 1)]


class Writer:
    def __init__(self, root: Path):
        self.root = root
        self.manifest: dict[str, dict] = {}

    def file(self, host: str, path: str, text: str | bytes, encoding: str = "utf-8") -> None:
        target = self.root / "hosts" / host / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))

    def entry(self, url: str, **spec) -> None:
        self.manifest[url] = spec


def site_home(w: Writer, key: str, columns: list[tuple[str, str]], extra: str = "") -> None:
    """A homepage: the nav, then a block per column with its heading, an 更多 link and its newest item."""
    blocks = "".join(f'<div class="box"><div class="box-title"><h3>{name}</h3><a href="{href}" class="more">更多&gt;&gt;</a>'
                     f'</div>{dated_list(news_rows("/gzdt", ["2019-06-05"]))}</div>' for name, href in columns)
    home = nav(columns) + blocks + extra
    w.file(HOST[key], "/", page(f"{key}测试网站", home))


def build(root: Path) -> Path:
    w = Writer(root)
    registry = ["site_code,name,unit,url,kind,services"]
    for key, code in CODE.items():
        scheme = "https" if key in TLS else "http"
        registry.append(f"{code},{key}测试网站,省直,{scheme}://{HOST[key]}/,department,no")

    # https sites with valid and broken certificates: all of them are inspected
    for key, flaw in TLS.items():
        site_home(w, key, [("工作动态", "/gzdt/")])
        w.file(HOST[key], "/gzdt/", page("工作动态", dated_list(news_rows("/gzdt", ["2019-06-06"]))))
        if flaw:
            w.entry(f"https://{HOST[key]}/", status=200, tls=flaw)

    # encodings: one site, four columns, four ways to get the charset wrong
    site_home(w, "enc", [("工作动态", "/gbk/"), ("通知公告", "/gb2312/"), ("政策文件", "/gb18030/"), ("人事信息", "/bom/")])
    body = dated_list([("/a/1.html", TITLES[2], "2019年06月03日")])
    w.file(HOST["enc"], "/gbk/", page("工作动态", body, head=""), "gbk")
    w.file(HOST["enc"], "/gb2312/", page("通知公告", body, head='<meta charset="gb2312">'), "gbk")
    w.entry(f"http://{HOST['enc']}/gb2312/", status=200, content_type="text/html; charset=utf-8")
    w.file(HOST["enc"], "/gb18030/", page("政策文件", body, head='<meta charset="utf-8">'), "gb18030")
    w.entry(f"http://{HOST['enc']}/gb18030/", status=200, content_type="text/html; charset=iso-8859-1")
    w.file(HOST["enc"], "/bom/", b"\xef\xbb\xbf" + page("人事信息", body).encode("utf-8"))
    w.entry(f"http://{HOST['enc']}/bom/", status=200, content_type="text/html; charset=gbk")

    # a 6 MB list page: read up to the cap, recorded as truncated
    site_home(w, "big", [("工作动态", "/gzdt/")])
    padding = "<p>" + "政务公开" * 200 + "</p>"
    w.file(HOST["big"], "/gzdt/", page("工作动态", dated_list(news_rows("/gzdt", ["2019-06-04", "2019-05-04"]))
                                       + padding * (6 * 1024 * 1024 // len(padding.encode()) + 1)))

    # frameset homepage, invalid HTML, <base href>, '../' past the root
    w.file(HOST["frames"], "/", '<html><head><meta charset="utf-8"><title>frames测试网站</title></head>'
           '<frameset rows="80,*"><frame src="/top.html"><frame src="/main.html"></frameset></html>')
    w.file(HOST["frames"], "/top.html", page("top", "<div>欢迎</div>"))
    w.file(HOST["frames"], "/main.html", page("main", '<base href="http://frames.hostile.gov.cn/sub/">'
           + nav([("工作动态", "gzdt/"), ("通知公告", "../../../tzgg/")])
           + "<div><table><tr><td><p>未闭合的段落<td>" + dated_list(news_rows("gzdt", ["2019-06-06"]))))
    w.file(HOST["frames"], "/sub/gzdt/", page("工作动态", dated_list(news_rows("/sub/gzdt", ["2019-06-06"]))))
    w.file(HOST["frames"], "/tzgg/", page("通知公告", dated_list(news_rows("/tzgg", ["2019-04-01"]))))

    # attachments listed as entries and linked from the homepage: recorded, never fetched
    attach_rows = [("/files/a.pdf", "2019年预算公开表", "2019-05-01"), ("/files/b.doc", "申请表下载", "2019-04-01"),
                   ("/files/c.XLS?v=2", "统计数据", "2019-03-01")]
    site_home(w, "attach", [("财政资金", "/czzj/")], extra='<a href="/files/d.pdf">附件下载</a>'
              '<a href="ftp://attach.hostile.gov.cn/x.zip">ftp</a><a href="file:///etc/passwd">file</a>'
              '<a href="data:text/html,hi">data</a>')
    w.file(HOST["attach"], "/czzj/", page("财政资金", dated_list(attach_rows)))

    # traps: an endless calendar, session ids in URLs, an inflated TRS pager
    site_home(w, "trap", [("工作动态", "/gzdt/;jsessionid=AAA111"), ("工作动态", "/gzdt/;jsessionid=BBB222"),
                          ("活动日历", "/rl/?month=2019-06"), ("通知公告", "/tzgg/?_t=1559000000")])
    pager = '<script>createPageHTML(9999, 0, "index", "html");</script>'
    w.file(HOST["trap"], "/gzdt/", page("工作动态", dated_list(news_rows("/gzdt", ["2019-06-07", "2019-06-01"]), pager)))
    for n in range(1, 40):
        w.file(HOST["trap"], f"/gzdt/index_{n}.html", page("工作动态", dated_list(news_rows(f"/gzdt/p{n}", ["2018-01-01"]), pager)))
    for n in range(60):
        year, month = 2019 + (5 + n) // 12, (5 + n) % 12 + 1
        nxt = f"{2019 + (6 + n) // 12}-{(6 + n) % 12 + 1:02d}"
        w.file(HOST["trap"], f"/rl/index.html@month={year}-{month:02d}", page("活动日历", dated_list(
            news_rows("/rl", ["2019-06-01"])) + f'<a href="/rl/?month={nxt}">下个月</a><a href="/rl/?month={nxt}">下一页</a>'))
    w.file(HOST["trap"], "/tzgg/", page("通知公告", dated_list(news_rows("/tzgg", ["2019-05-20"]))))

    # redirect loop, and a chain of 12 hops
    w.entry(f"http://{HOST['loop']}/", status=302, headers={"Location": f"http://{HOST['loop']}/a.html"})
    w.entry(f"http://{HOST['loop']}/a.html", status=302, headers={"Location": f"http://{HOST['loop']}/"})
    for n in range(12):
        src = f"http://{HOST['chain']}/" if n == 0 else f"http://{HOST['chain']}/{n}.html"
        w.entry(src, status=301, headers={"Location": f"http://{HOST['chain']}/{n + 1}.html"})
    w.file(HOST["chain"], "/12.html", page("chain测试网站", nav([("工作动态", "/gzdt/")])))

    # network faults at the homepage
    w.file(HOST["timeout"], "/", page("timeout", "x"))
    w.entry(f"http://{HOST['timeout']}/", status=200, delay=4)
    w.entry(f"http://{HOST['reset']}/", drop=True)
    w.file(HOST["e500"], "/50x.html", page("500", "服务器内部错误"))
    w.entry(f"http://{HOST['e500']}/", status=500, file=f"{HOST['e500']}/50x.html")
    w.file(HOST["errpage"], "/", "<html><head><title>404 Not Found</title></head><body><h1>您访问的页面不存在</h1></body></html>")

    # the homepage loads, the columns do not: a WAF interstitial, and 403 after back-off
    for key, columns in (("waf", [("工作动态", "/gzdt/"), ("通知公告", "/tzgg/")]), ("forbidden", [("工作动态", "/gzdt/")])):
        site_home(w, key, columns)
    waf = ('<html><head><title>创宇云防御</title><script src="/waf.js"></script></head><body>'
           "<p>您的访问请求可能对网站造成安全威胁，已被创宇云防御拦截。</p></body></html>")
    w.file(HOST["waf"], "/gzdt/", waf)
    w.file(HOST["waf"], "/tzgg/", waf)
    w.file(HOST["forbidden"], "/403.html", page("403", "Forbidden"))
    w.entry(f"http://{HOST['forbidden']}/gzdt/", status=403, file=f"{HOST['forbidden']}/403.html")

    # mixed encodings across one site: a UTF-8 homepage, a GBK column declared in meta only
    site_home(w, "mixed", [("工作动态", "/gzdt/")])
    w.file(HOST["mixed"], "/gzdt/", page("工作动态", dated_list([("/a/2.html", TITLES[2], "2019-06-02")]),
                                         head='<meta http-equiv="Content-Type" content="text/html; charset=gbk">'), "gbk")

    (root / "registry.csv").write_text("\n".join(registry) + "\n", encoding="utf-8")
    (root / "manifest.json").write_text(json.dumps({"responses": w.manifest}, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
    return root
