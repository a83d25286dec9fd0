"""DedeCMS: /a/<typedir>/ lists (list_<tid>_<n>.html), /a/<typedir>/<YYYYMMDD>/<id>.html articles, the default
template's ul.e2 rows (日期 with a time, 点击 counter), dede_pages pagelist, and a navMenu whose drop-down menus sit
apart from it (rel='dropmenuN')."""
from __future__ import annotations

from datetime import date

from ..model import Column
from .base import Entry, Family, esc, iso


class Dede(Family):
    name = "dede"
    per_page = 10

    def tid(self, column: Column) -> int:
        return int(column.slug[1:]) + 2

    def column_url(self, column: Column, index: int) -> str:
        return f"{self.site.base}/a/lm{self.tid(column)}/"

    def page_url(self, column: Column, n: int) -> str:
        return f"{column.url}list_{self.tid(column)}_{n}.html"

    def article_url(self, column: Column, i: int, d: date) -> str:
        return f"{self.site.base}/a/lm{self.tid(column)}/{d:%Y%m%d}/{self.doc_id(column, i)}.html"

    def row(self, entry: Entry, dated: bool) -> str:
        info = (f'<span class="info"><small>日期：</small>{iso(entry.date)} {8 + entry.date.day % 9:02d}:21:32'
                f'<small>点击：</small>{entry.date.day * 7 % 97}<small>好评：</small>0</span>') if dated else ""
        return (f'<li><a href="{esc(entry.url)}" class="title">{esc(entry.title)}</a>{info}'
                f'<p class="intro">{esc(entry.title)}……</p></li>')

    def list_container(self, rows: str) -> str:
        return f'<div class="listbox"><ul class="e2">{rows}</ul></div>'

    def pager(self, column, n, pages):
        if pages == 1:
            return f'<div class="dede_pages"><ul class="pagelist"><li><span class="pageinfo">共 <strong>1</strong>页</span></li></ul></div>'
        links = "".join(f'<li class="thisclass"><a>{k}</a></li>' if k == n else
                        f"<li><a href='{self.page_url(column, k).rsplit('/', 1)[-1] if k > 1 else column.url}'>{k}</a></li>" for k in range(1, pages + 1))
        nxt = f"<li><a href='{self.page_url(column, n + 1).rsplit('/', 1)[-1]}'>下一页</a></li>" if n < pages else ""
        return (f'<div class="dede_pages"><ul class="pagelist"><li><a>首页</a></li>{links}{nxt}'
                f'<li><span class="pageinfo">共 <strong>{pages}</strong>页</span></li></ul></div>')

    def nav(self) -> str:
        items, drops = [], []
        for i, (name, url, children) in enumerate(self.nav_items()):
            if children:
                items.append(f"<li rel='dropmenu{i}'><a href='javascript:;'><span>{esc(name)}</span></a></li>")
                sub = "".join(f"<li><a href='{esc(u)}'>{esc(n)}</a></li>" for n, u in children)
                drops.append(f'<ul id="dropmenu{i}" class="dropMenu">{sub}</ul>')
            else:
                items.append(f"<li><a href='{esc(url)}'><span>{esc(name)}</span></a></li>")
        return (f'<div class="w960 center clear mt1"><div id="navMenu"><ul>{"".join(items)}</ul></div></div>\n'
                f'{"".join(drops)}\n<script type="text/javascript">cssdropdown.startchrome("navMenu")</script>\n')
