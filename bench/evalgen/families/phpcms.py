"""PHPCMS v9: index.php?m=content&c=index&a=lists&catid=N (&page=K), show&catid=N&id=M articles, rows with the date
floated right before the title (span.rt), the #pages pager."""
from __future__ import annotations

from datetime import date

from ..model import Column
from .base import Entry, Family, esc, iso


class Phpcms(Family):
    name = "phpcms"
    per_page = 20

    def catid(self, column: Column) -> int:
        return int(column.slug[1:]) + 30

    def column_url(self, column: Column, index: int) -> str:
        return f"{self.site.base}/index.php?m=content&c=index&a=lists&catid={self.catid(column)}"

    def page_url(self, column: Column, n: int) -> str:
        return f"{column.url}&page={n}"

    def article_url(self, column: Column, i: int, d: date) -> str:
        return f"{self.site.base}/index.php?m=content&c=index&a=show&catid={self.catid(column)}&id={self.doc_id(column, i)}"

    def row(self, entry: Entry, dated: bool) -> str:
        date_html = f'<span class="rt">{iso(entry.date)}</span>' if dated else ""
        return f'<li>{date_html}·<a href="{esc(entry.url)}" target="_blank">{esc(entry.title)}</a></li>'

    def list_container(self, rows: str) -> str:
        return f'<div class="col-left"><ul class="list lh24 f14">{rows}</ul></div>'

    def pager(self, column, n, pages):
        if pages == 1:
            return ""
        links = " ".join(f"<span>{k}</span>" if k == n else f'<a href="{esc(self.page_url(column, k))}">{k}</a>'
                         for k in range(1, pages + 1))
        nxt = f' <a href="{esc(self.page_url(column, min(n + 1, pages)))}" class="a1">下一页</a>'
        return f'<div id="pages" class="text-c"><a class="a1">{pages * self.per_page}条</a> {links}{nxt}</div>'

    def nav_link(self, name: str, url: str) -> str:
        return f'<li><a href="{esc(url)}"><span>{esc(name)}</span></a></li><li class="line">|</li>'

    def nav_group(self, name: str, children: list[tuple[str, str]]) -> str:
        sub = "".join(f'<li><a href="{esc(u)}">{esc(n)}</a></li>' for n, u in children)
        return f'<li><a href="javascript:;"><span>{esc(name)}</span></a><ul class="sub">{sub}</ul></li><li class="line">|</li>'

    def nav_wrap(self, items: str) -> str:
        return f'<div class="nav-bar"><map><ul class="nav-site cu-span">{items}</ul></map></div>\n'
