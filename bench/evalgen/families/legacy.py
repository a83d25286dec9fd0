"""2000s table-layout ASP sites: News_List.asp?ClassID=N&page=K, rows as table cells with un-padded dates,
第1页 共3页 pagers, ArticleShow.asp?ArticleID=N articles, a table of menu cells."""
from __future__ import annotations

from datetime import date

from ..model import Column
from .base import Entry, Family, esc


class Legacy(Family):
    name = "legacy"
    per_page = 20

    def column_url(self, column: Column, index: int) -> str:
        return f"{self.site.base}/News_List.asp?ClassID={int(column.slug[1:]) + 10}"

    def page_url(self, column: Column, n: int) -> str:
        return f"{column.url}&page={n}"

    def article_url(self, column: Column, i: int, d: date) -> str:
        return f"{self.site.base}/ArticleShow.asp?ArticleID={self.doc_id(column, i)}"

    def row(self, entry: Entry, dated: bool) -> str:
        d = entry.date
        cell = f'<td width="90" align="right">{d.year}-{d.month}-{d.day}</td>' if dated else ""
        return (f'<tr><td width="20"><img src="/images/dot.gif"></td><td class="ListTitle"><a href="{esc(entry.url)}" '
                f'target="_blank">{esc(entry.title)}</a></td>{cell}</tr>')

    def list_container(self, rows: str) -> str:
        return f'<table width="100%" border="0" cellspacing="0" cellpadding="0" class="NewsList">{rows}</table>'

    def pager(self, column, n, pages):
        nxt = f'<a href="{esc(self.page_url(column, n + 1))}">下一页</a>' if n < pages else "下一页"
        prev = f'<a href="{esc(column.url if n == 2 else self.page_url(column, n - 1))}">上一页</a>' if n > 1 else "上一页"
        return f'<div align="center">第{n}页 共{pages}页 {prev} {nxt}</div>'

    def nav_link(self, name: str, url: str) -> str:
        return f'<td class="menu"><a href="{esc(url)}">{esc(name)}</a></td>'

    def nav_group(self, name: str, children: list[tuple[str, str]]) -> str:
        sub = " | ".join(f'<a href="{esc(u)}">{esc(n)}</a>' for n, u in children)
        return f'<td class="menu"><a href="#">{esc(name)}</a><div class="submenu">{sub}</div></td>'

    def nav_wrap(self, items: str) -> str:
        return (f'<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" id="menu"><tr>{items}'
                f"</tr></table>\n")
