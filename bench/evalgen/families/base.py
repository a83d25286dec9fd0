"""What every CMS family shares: the page skeleton (head metas, header, navigation, footer), single-page columns,
letter boxes, service guides, redirects. A family module overrides URL scheme, navigation and list markup.

A family renders into an `Output`: page bodies by URL (written by the replay path rule) and manifest entries
(status, redirects, drops) for what a body file cannot say.
"""
from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from .. import pools
from ..model import Channel, Column, Guide, Site

ELEMENT_LABELS = pools.GUIDE_ELEMENTS


@dataclass
class Entry:
    title: str
    url: str
    date: date


@dataclass
class Output:
    pages: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, dict] = field(default_factory=dict)

    def page(self, url: str, text: str) -> None:
        if url in self.pages and self.pages[url] != text:
            raise ValueError(f"evalgen: two different bodies for {url}")
        self.pages[url] = text

    def entry(self, url: str, **entry) -> None:
        self.manifest[url] = entry


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def iso(d: date) -> str:
    return d.isoformat()


class Family:
    name = "base"
    per_page = 15
    ext = "html"

    def __init__(self, site: Site):
        self.site = site
        self.rng = random.Random(f"{site.code}:{self.name}")
        self.entries: dict[str, list[Entry]] = {}

    # -- URL scheme (overridden per family) --------------------------------------------------------------
    def column_url(self, column: Column, index: int) -> str:
        return f"{self.site.base}/{column.slug}/index.{self.ext}"

    def page_url(self, column: Column, n: int) -> str:
        """List page n >= 2."""
        return column.url.replace(f"index.{self.ext}", f"index_{n - 1}.{self.ext}")

    def article_url(self, column: Column, i: int, d: date) -> str:
        return f"{self.site.base}/{column.slug}/{d:%Y%m}/t{d:%Y%m%d}_{self.doc_id(column, i)}.{self.ext}"

    def doc_id(self, column: Column, i: int) -> int:
        return 1000 * int(column.slug[1:]) + i + 1

    # -- layout ------------------------------------------------------------------------------------------
    def layout(self) -> None:
        site = self.site
        for i, column in enumerate(site.columns):
            column.url = self.column_url(column, i)
        if site.service == "own":
            service = Column(slug=f"c{len(site.columns) + 1}", name=site.service_name, category="reference",
                             group=site.service_group)
            site.service_url = self.column_url(service, len(site.columns))
            for i, guide in enumerate(site.guides):
                guide.url = f"{site.base}/bsfw/guide/{site.code[-4:]}{i + 1:03d}.html"
        for i, channel in enumerate(site.channels):
            if channel.offsite:
                channel.url = self.offsite_channel_url(channel, i)
            else:
                channel.url = f"{site.base}/hdjl/xx{i + 1}/index.{self.ext}"
        for column in site.columns:
            self.entries[column.url] = [Entry(self.title(column, i), self.article_url(column, i, d), d)
                                        for i, d in enumerate(column.dates)]

    def offsite_channel_url(self, channel: Channel, i: int) -> str:
        city = self.site.host.split(".", 1)[1]
        if channel.kind == "petition":
            return "http://xf.example-province.gov.cn/wsxf/"
        if channel.kind == "report":
            return "http://www.12388.gov.cn/"
        return f"http://hd.{city}/interact/{self.site.code}/index.html"

    def title(self, column: Column, i: int) -> str:
        topics = pools.NOTICE_TOPICS if column.category == "notice" else pools.TITLE_TOPICS
        rng = random.Random(f"{self.site.code}:{column.slug}:{i}")
        short = self.site.name.replace("人民政府", "").replace("网站", "")
        return f"{short}{rng.choice(topics)}" if column.category != "notice" else f"{rng.choice(topics)}（{i + 1}）"

    # -- page skeleton -----------------------------------------------------------------------------------
    def head(self, title: str, extra: str = "") -> str:
        s = self.site
        return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{esc(title)}</title>\n'
                f'<meta name="SiteName" content="{esc(s.name)}">\n<meta name="SiteDomain" content="{s.host}">\n'
                f'<meta name="SiteIDCode" content="{s.code}">\n{extra}</head>\n')

    def header(self) -> str:
        return (f'<div class="header"><div class="logo"><img src="/images/logo.png" alt="{esc(self.site.name)}"></div>'
                f'<div class="search"><form action="/search/" method="get"><input type="text" name="q">'
                f'<input type="submit" value="搜索"></form></div></div>\n')

    def footer(self) -> str:
        s = self.site
        return (f'<div class="footer"><p>主办单位：{esc(s.name.replace("网站", ""))}办公室<span>|</span>联系电话：0700-8{s.code[-6:]}</p>'
                f'<p>ICP备案编号：<a href="https://beian.miit.gov.cn/">江ICP备{s.code[-8:]}号</a><span>|</span>网站标识码：{s.code}</p>'
                f'<p><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=9{s.code}">江公网安备 9{s.code}号</a></p>'
                f"<script id=\"_jiucuo_\" sitecode='{s.code}' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>"
                f"</div>\n")

    def nav_items(self) -> list[tuple[str, str | None, list[tuple[str, str]]]]:
        """Top navigation: (name, URL or None for a parent with a sub-menu, [(child name, child URL)])."""
        s = self.site
        items: list[tuple[str, str | None, list]] = [("首页", "/", [])]
        groups: dict[str, list] = {}
        order: list[str] = []

        def add(name, url, group):
            if group is None:
                items.append((name, url, []))
            else:
                if group not in groups:
                    groups[group] = []
                    order.append(group)
                    items.append((group, None, groups[group]))
                groups[group].append((name, url))

        for column in s.columns:
            add(column.name, column.url, column.group)
        if s.service == "own":
            add(s.service_name, s.service_url, s.service_group)
        elif s.service == "zwfw":
            add(self.rng.choice(pools.ZWFW_LINK_NAMES), "http://zwfw.example-province.gov.cn/", s.service_group)
        group = self.rng.choice(pools.INTERACTION_GROUPS)
        for channel in s.channels:
            add(channel.name, channel.url, group)
        return items

    def nav(self) -> str:
        parts = [self.nav_group(name, children) if children else self.nav_link(name, url)
                 for name, url, children in self.nav_items()]
        return self.nav_wrap("".join(parts))

    def nav_link(self, name: str, url: str) -> str:
        return f'<li><a href="{esc(url)}">{esc(name)}</a></li>'

    def nav_group(self, name: str, children: list[tuple[str, str]]) -> str:
        sub = "".join(f'<li><a href="{esc(u)}">{esc(n)}</a></li>' for n, u in children)
        return f'<li class="has-sub"><a href="javascript:void(0);">{esc(name)}</a><ul class="sub-nav">{sub}</ul></li>'

    def nav_wrap(self, items: str) -> str:
        return f'<div class="nav"><ul class="nav-list">{items}</ul></div>\n'

    def crumb(self, name: str) -> str:
        return f'<div class="crumbs">当前位置：<a href="/">首页</a>&nbsp;&gt;&nbsp;{esc(name)}</div>\n'

    def page(self, title: str, body: str, extra_head: str = "") -> str:
        return (self.head(title, extra_head) + "<body>\n" + self.header() + self.nav() + body + self.footer()
                + "</body>\n</html>\n")

    # -- lists (overridden per family) -------------------------------------------------------------------
    def row(self, entry: Entry, dated: bool) -> str:
        date_html = f'<span class="date">{iso(entry.date)}</span>' if dated else ""
        return f'<li><a href="{esc(entry.url)}" title="{esc(entry.title)}" target="_blank">{esc(entry.title)}</a>{date_html}</li>'

    def list_container(self, rows: str) -> str:
        return f'<ul class="list">{rows}</ul>'

    def pager(self, column: Column, n: int, pages: int) -> str:
        return f'<div class="page"><script>createPageHTML({pages}, {n - 1}, "index", "{self.ext}");</script></div>'

    def blank_list(self, column: Column) -> str:
        if column.blank_marker:
            return f'<ul class="list"><li class="empty">{esc(column.blank_marker)}</li></ul>'
        return '<ul class="list"></ul>'

    def list_main(self, column: Column, rows: list[str], pager: str) -> str:
        return (f'<div class="main"><div class="list-title"><h2>{esc(column.name)}</h2></div>'
                f"{self.list_container(''.join(rows))}{pager}</div>\n")

    def render_column(self, out: Output, column: Column) -> None:
        if column.shape == "single":
            out.page(column.url, self.single_page(column))
            return
        if column.shape == "blank":
            out.page(column.url, self.page(column.name, self.crumb(column.name) + self.list_main_blank(column)))
            return
        entries = self.entries[column.url]
        dated = column.shape != "undated"
        pages = max(1, -(-len(entries) // self.per_page))
        for n in range(1, pages + 1):
            chunk = entries[(n - 1) * self.per_page: n * self.per_page]
            url = column.url if n == 1 else self.page_url(column, n)
            rows = [self.row(e, dated) for e in chunk]
            out.page(url, self.page(column.name, self.crumb(column.name)
                                    + self.list_main(column, rows, self.pager(column, n, pages))))
        for entry in entries:
            out.page(entry.url, self.article(column, entry))

    def list_main_blank(self, column: Column) -> str:
        return (f'<div class="main"><div class="list-title"><h2>{esc(column.name)}</h2></div>'
                f"{self.blank_list(column)}</div>\n")

    # -- articles and single pages -----------------------------------------------------------------------
    def article(self, column: Column, entry: Entry) -> str:
        meta = (f'<meta name="ArticleTitle" content="{esc(entry.title)}">\n'
                f'<meta name="PubDate" content="{iso(entry.date)} 09:{entry.date.day + 10:02d}">\n'
                f'<meta name="ColumnName" content="{esc(column.name)}">\n')
        body = (f'<div class="article"><h1>{esc(entry.title)}</h1><div class="info"><span>发布时间：{iso(entry.date)}</span>'
                f'<span>来源：{esc(self.site.name)}</span></div><div class="TRS_Editor"><p>{esc(entry.title)}。'
                f'会议强调，要提高政治站位，狠抓工作落实。</p></div></div>\n')
        return self.page(entry.title, self.crumb(column.name) + body, meta)

    def single_page(self, column: Column) -> str:
        d = column.dates[0]
        meta = f'<meta name="PubDate" content="{iso(d)} 10:00">\n<meta name="ColumnName" content="{esc(column.name)}">\n'
        body = (f'<div class="main"><div class="article"><h1>{esc(column.name)}</h1>'
                f'<div class="info">发布日期：{iso(d)}&nbsp;&nbsp;浏览次数：{100 + d.day}</div>'
                f'<div class="content"><p>{esc(self.site.name.replace("网站", ""))}是主管全市相关工作的政府工作部门。</p>'
                f'<p>主要职责：贯彻执行国家有关法律法规和方针政策；拟订并组织实施相关规划；承办上级交办的其他事项。</p></div>'
                f"</div></div>\n")
        return self.page(column.name, self.crumb(column.name) + body, meta)

    # -- homepage ----------------------------------------------------------------------------------------
    def home_block(self, column: Column, rows: str) -> str:
        return (f'<div class="box"><div class="box-title"><h3>{esc(column.name)}</h3>'
                f'<a href="{esc(column.url)}" class="more">更多&gt;&gt;</a></div>{self.list_container(rows)}</div>')

    def homepage(self, out: Output) -> None:
        s = self.site
        url = f"{s.base}{s.home_path}"
        blocks = [c for c in s.columns if c.home_block]
        quick = "".join(f'<li><a href="{esc(c.url)}">{esc(c.name)}</a></li>' for c in s.channels[:2])
        if s.homepage == "nav_only":
            body = ('<div class="main"><div class="banner"><img src="/images/banner.jpg" alt=""></div>'
                    f'<div class="entrances"><ul>{quick}</ul></div></div>\n')
        elif s.homepage == "script":
            body, data = self.scripted_blocks(blocks)
            out.page(f"{s.base}/api/home.json", json.dumps(data, ensure_ascii=False))
        else:
            boxes = "".join(self.home_block(c, "".join(Family.row(self, e, True) for e in self.entries[c.url][:6]))
                            for c in blocks)
            body = f'<div class="main">{boxes}<div class="box quick"><h3>便民服务</h3><ul>{quick}</ul></div></div>\n'
        out.page(url, self.page(s.name, body))

    def scripted_blocks(self, blocks: list[Column]) -> tuple[str, dict]:
        """Homepage blocks whose entries a script fetches and writes in (a browser shows them, a plain fetch does not)."""
        boxes = "".join(
            f'<div class="box"><div class="box-title"><h3>{esc(c.name)}</h3><a href="{esc(c.url)}" class="more">更多</a>'
            f'</div><ul class="list" id="blk{i}"></ul></div>' for i, c in enumerate(blocks))
        data = {f"blk{i}": [{"title": e.title, "url": e.url, "date": iso(e.date)} for e in self.entries[c.url][:6]]
                for i, c in enumerate(blocks)}
        script = ("<script>var req=new XMLHttpRequest();req.open('GET','/api/home.json');"
                  "req.onload=function(){var d=JSON.parse(req.responseText);for(var k in d){var ul=document.getElementById(k);"
                  "d[k].forEach(function(e){var li=document.createElement('li');li.innerHTML='<a href=\"'+e.url+'\">'+e.title+"
                  "'</a><span class=\"date\">'+e.date+'</span>';ul.appendChild(li);});}};req.send();</script>")
        return f'<div class="main">{boxes}</div>\n{script}\n', data

    # -- interaction -------------------------------------------------------------------------------------
    def render_channel(self, out: Output, channel: Channel) -> None:
        if channel.kind != "consultation":
            return   # petition and report platforms live elsewhere and are never fetched
        if channel.state == "dead":
            out.entry(channel.url, status=404, file=None)
            return
        if channel.state == "drop":
            out.entry(channel.url, drop=True)
            return
        if channel.state == "maintenance":
            body = f'<div class="main"><h2>{esc(channel.name)}</h2><p class="notice">系统维护中，暂停使用，给您带来不便敬请谅解。</p></div>\n'
            out.page(channel.url, self.page(channel.name, self.crumb(channel.name) + body))
            return
        if channel.offsite:   # a platform of the city: a form to write, no published letters
            body = (f'<div class="main"><h2>{esc(channel.name)}</h2><a href="write.html">我要写信</a>'
                    f'<form action="submit.do" method="post"><input type="text" name="title"><textarea name="content">'
                    f'</textarea><input type="submit" value="提交"></form></div>\n')
            out.page(channel.url, self.page(channel.name, body))
            return
        rows = []
        base = channel.url.rsplit("/", 1)[0]
        for i, letter in enumerate(channel.letters):
            rng = random.Random(f"{self.site.code}:{channel.url}:{i}")
            title = rng.choice(pools.LETTER_TOPICS)
            url = f"{base}/{letter.asked:%Y%m}/t{letter.asked:%Y%m%d}_{i + 1:04d}.html"
            status = "已回复" if letter.answered else "办理中"
            rows.append(f'<tr><td>{i + 1}</td><td><a href="{url}" target="_blank">{esc(title)}</a></td>'
                        f"<td>{iso(letter.asked)}</td><td>{status}</td></tr>")
            reply = (f'<tr><th>回复单位：</th><td>{esc(self.site.name)}</td></tr><tr><th>回复时间：</th><td>{iso(letter.answered)}</td></tr>'
                     f'<tr><th>回复内容：</th><td>您好，来信收悉，现答复如下：已转相关科室办理。</td></tr>'
                     if letter.answered else "")
            detail = (f'<div class="main"><h2>{esc(title)}</h2><table class="letter"><tr><th>来信时间：</th>'
                      f"<td>{iso(letter.asked)}</td></tr><tr><th>来信内容：</th><td>{esc(title)}，请予答复。</td></tr>"
                      f"<tr><th>办理状态：</th><td>{status}</td></tr>{reply}</table></div>\n")
            out.page(url, self.page(title, detail))
        table = ('<table class="table1"><tr><th>序号</th><th>信件标题</th><th>来信时间</th><th>办理状态</th></tr>'
                 + "".join(rows) + "</table>")
        body = f'<div class="main"><h2>{esc(channel.name)}</h2><a href="write.html">我要写信</a>{table}</div>\n'
        out.page(channel.url, self.page(channel.name, self.crumb(channel.name) + body))

    # -- service guides ----------------------------------------------------------------------------------
    def render_service(self, out: Output) -> None:
        s = self.site
        if s.service != "own":
            return
        rows = "".join(f'<li><a href="{esc(g.url)}" target="_blank">{esc(g.subject)}办事指南</a></li>' for g in s.guides)
        body = (f'<div class="main"><div class="list-title"><h2>{esc(s.service_name)}</h2></div>'
                f'<ul class="guide-list">{rows}</ul></div>\n')
        out.page(s.service_url, self.page(s.service_name, self.crumb(s.service_name) + body))
        for guide in s.guides:
            out.page(guide.url, self.page(f"{guide.subject}办事指南", self.crumb(s.service_name) + self.guide(guide)))

    def guide(self, guide: Guide) -> str:
        rng = random.Random(f"{self.site.code}:{guide.url}")
        pairs = [("事项名称", guide.subject), ("事项类型", "行政许可")]
        for key, labels in ELEMENT_LABELS.items():
            if key in guide.missing and key not in guide.empty:
                continue
            value = "" if key in guide.missing else rng.choice(pools.GUIDE_VALUES[key])
            pairs.append((rng.choice(labels), value))
        pairs += [("法定时限", "20个工作日"), ("承诺时限", "5个工作日"), ("咨询电话", "0700-12345678")]
        rng.shuffle(pairs[2:])
        if guide.idiom == "dl":
            inner = "".join(f"<dt>{esc(k)}：</dt><dd>{esc(v)}</dd>" for k, v in pairs)
            return f'<div class="main"><h2>{esc(guide.subject)}</h2><dl class="bszn">{inner}</dl></div>\n'
        if guide.idiom == "strong":
            inner = "".join(f"<p><strong>{esc(k)}：</strong><span>{esc(v)}</span></p>" for k, v in pairs)
            return f'<div class="main"><h2>{esc(guide.subject)}</h2><div class="bszn">{inner}</div></div>\n'
        if guide.idiom == "heading":
            inner = "".join(f"<h4>{esc(k)}</h4><p>{esc(v)}</p>" for k, v in pairs)
            return f'<div class="main"><h2>{esc(guide.subject)}</h2><div class="bszn">{inner}</div></div>\n'
        inner = "".join(f'<tr><td class="td_l">{esc(k)}</td><td class="td_r">{esc(v)}</td></tr>' for k, v in pairs)
        return f'<div class="main"><h2>{esc(guide.subject)}</h2><table class="content_table4SX">{inner}</table></div>\n'

    # -- the whole site ----------------------------------------------------------------------------------
    def render(self) -> Output:
        out = Output()
        self.layout()
        self.redirects(out)
        if self.site.unreachable:
            return out
        self.homepage(out)
        for column in self.site.columns:
            self.render_column(out, column)
        for channel in self.site.channels:
            self.render_channel(out, channel)
        self.render_service(out)
        return out

    def redirects(self, out: Output) -> None:
        s = self.site
        registered = s.registered_url
        if s.unreachable == "503":
            for url in {registered, f"{s.base}/"}:
                out.entry(url, status=503, file=None)
            return
        if s.unreachable == "drop":
            for url in {registered, f"{s.base}/"}:
                out.entry(url, drop=True)
            return
        if not s.redirect:
            return
        kind, target = s.redirect
        s.home_path = urlsplit(target).path or "/"
        if kind == "http":
            out.entry(registered, status=302, headers={"Location": target})
        elif kind == "meta":
            out.page(registered, f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head><body></body></html>\n')
        elif kind == "js":
            out.page(registered, f'<html><head><script>window.location.href="{target}";</script></head><body></body></html>\n')
        else:
            out.page(registered, f'<html><head><title>网站迁移公告</title></head><body><p>本网站已迁移至新地址：'
                                 f'<a href="{target}">{target}</a>，请更新您的收藏夹。</p></body></html>\n')
